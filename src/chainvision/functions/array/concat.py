"""Concatenation of arrays."""

import torch

from chainvision.backend import as_tensors


def concat(xs, axis=1):
    """Join arrays along ``axis`` (default 1, the channel axis); all other
    axes must agree."""
    xs = as_tensors(*xs)
    # A list, not a set: under torch.export a dynamic size is a SymInt,
    # which compares but does not hash.
    shapes = [x.shape[:axis % x.ndim] + x.shape[axis % x.ndim + 1:] for x in xs]
    if len({x.ndim for x in xs}) > 1 or any(shape != shapes[0] for shape in shapes):
        raise ValueError('concat: shapes {} differ outside axis {}.'.format(
            [tuple(x.shape) for x in xs], axis))
    return torch.cat(xs, dim=axis)
