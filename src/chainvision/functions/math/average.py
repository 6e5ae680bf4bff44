"""(Weighted) mean of array elements; ``mean`` is an alias."""

import torch

from chainvision.backend import as_tensors
from chainvision.functions.math._axes import reduction_dims


def average(x, axis=None, weights=None, keepdims=False):
    """Mean of ``x`` over ``axis``, optionally weighted.

    Args:
        x: array of any float dtype.
        axis: ``None`` (all axes), an int, or a tuple of ints (a tuple only
            without ``weights``).
        weights: ``None``, or an array of ``x``'s shape when ``axis`` is
            ``None``, or of shape ``(x.shape[axis],)`` for an int ``axis``.
            The result is ``sum(x * w) / sum(w)``.
        keepdims (bool): keep the reduced axes with length 1.

    Returns:
        torch.Tensor.
    """
    x, weights = as_tensors(x, weights)
    dims = reduction_dims(x, axis)
    if weights is None:
        return torch.mean(x, dim=dims, keepdim=keepdims)
    if axis is None:
        expected = tuple(x.shape)
        shape = x.shape
    elif len(dims) == 1:
        expected = (x.shape[dims[0]],)
        shape = [n if i == dims[0] % x.ndim else 1 for i, n in enumerate(x.shape)]
    else:
        raise ValueError('average: a tuple axis is not supported when weights is given.')
    if tuple(weights.shape) != expected:
        raise ValueError('average: weights must have shape {}, got {}.'.format(
            expected, tuple(weights.shape)))
    total = torch.sum(x * weights.reshape(shape), dim=dims, keepdim=keepdims)
    return total / weights.sum()


mean = average
