"""Stacking arrays along a new axis."""

import torch

from chainvision.backend import as_tensors


def stack(xs, axis=0):
    """Join arrays of one shape along a new axis ``axis`` (default 0)."""
    xs = as_tensors(*xs)
    if len({tuple(x.shape) for x in xs}) > 1:
        raise ValueError('stack expects arrays of one shape, got {}.'.format(
            [tuple(x.shape) for x in xs]))
    return torch.stack(xs, dim=axis)
