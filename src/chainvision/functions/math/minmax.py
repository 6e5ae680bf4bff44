"""Maximum, minimum and their positions along axes."""

import torch

from chainvision.backend import as_tensor
from chainvision.functions.math._axes import reduction_dims


def max(x, axis=None, keepdims=False):
    """Maximum over ``axis`` (``None``, an int or a tuple).  Where several
    elements tie for the maximum, the gradient is split evenly among them
    (Chainer gives each the full gradient)."""
    x = as_tensor(x)
    return torch.amax(x, dim=reduction_dims(x, axis), keepdim=keepdims)


def min(x, axis=None, keepdims=False):
    """Minimum over ``axis``; as :func:`max`."""
    x = as_tensor(x)
    return torch.amin(x, dim=reduction_dims(x, axis), keepdim=keepdims)


def _arg_reduce(reduce, x, axis):
    x = as_tensor(x)
    # Chainer returns int32 indices; the flat index when axis is None.
    return reduce(x.detach(), dim=axis).to(torch.int32)


def argmax(x, axis=None):
    """Index of the maximum along ``axis`` (an int, or ``None`` for the flat
    index); an ``int32`` tensor, not differentiable."""
    return _arg_reduce(torch.argmax, x, axis)


def argmin(x, axis=None):
    """Index of the minimum along ``axis``; as :func:`argmax`."""
    return _arg_reduce(torch.argmin, x, axis)
