"""Product of array elements."""

from chainvision.backend import as_tensor
from chainvision.functions.math._axes import reduction_dims


def prod(x, axis=None, keepdims=False):
    """Product over ``axis`` (``None``: all axes, an int or a tuple);
    ``keepdims`` keeps the reduced axes with length 1."""
    x = as_tensor(x)
    for dim in sorted((d % x.ndim for d in reduction_dims(x, axis)), reverse=True):
        x = x.prod(dim=dim, keepdim=keepdims)
    return x
