"""Sum of array elements."""

import torch

from chainvision.backend import as_tensor
from chainvision.functions.math._axes import reduction_dims


def sum(x, axis=None, keepdims=False):
    """Sum over ``axis`` (``None``: all axes, or an int or a tuple of ints);
    ``keepdims`` keeps the reduced axes with length 1."""
    x = as_tensor(x)
    return torch.sum(x, dim=reduction_dims(x, axis), keepdim=keepdims)
