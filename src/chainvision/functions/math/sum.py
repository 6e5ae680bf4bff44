"""Sum of array elements."""

import torch

from chainvision.backend import as_tensor
from chainvision.functions.math._axes import reduction_dims
from chainvision.utils.array import sum_to as utils_sum_to


def sum(x, axis=None, keepdims=False):
    """Sum over ``axis`` (``None``: all axes, or an int or a tuple of ints);
    ``keepdims`` keeps the reduced axes with length 1."""
    x = as_tensor(x)
    return torch.sum(x, dim=reduction_dims(x, axis), keepdim=keepdims)


def sum_to(x, shape):
    """Sum ``x`` down to ``shape``, the inverse of broadcasting ``shape`` to
    ``x.shape`` (leading axes summed away, axes of length 1 summed with
    keepdims); differentiable."""
    return utils_sum_to(as_tensor(x), shape)
