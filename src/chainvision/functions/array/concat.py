"""Concatenation of arrays."""

import torch

from chainvision.backend import as_tensors


def concat(xs, axis=1):
    """Join arrays along ``axis`` (default 1, the channel axis); all other
    axes must agree."""
    xs = as_tensors(*xs)
    shapes = {tuple(x.shape[:axis % x.ndim]) + tuple(x.shape[axis % x.ndim + 1:]) for x in xs}
    if len({x.ndim for x in xs}) > 1 or len(shapes) > 1:
        raise ValueError('concat: shapes {} differ outside axis {}.'.format(
            [tuple(x.shape) for x in xs], axis))
    return torch.cat(xs, dim=axis)
