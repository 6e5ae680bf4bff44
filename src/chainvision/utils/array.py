"""Array helpers of ``chainer.utils`` for code that writes its own
``forward``/``backward``: they accept NumPy arrays and tensors alike."""

import math

import numpy
import torch

from chainvision.backend import torch_dtype


def force_array(x, dtype=None):
    """Return ``x`` as an array: a NumPy scalar (what NumPy returns for
    0-dim results) becomes a 0-dim NumPy array; arrays and tensors are
    returned as they are, cast to ``dtype`` if given (without copying when
    the dtype already matches)."""
    if numpy.isscalar(x):
        return numpy.array(x) if dtype is None else numpy.array(x, dtype)
    if dtype is None:
        return x
    return _cast(x, dtype)


def force_type(dtype, value):
    """Return ``value`` (a scalar, array or tensor) with the NumPy ``dtype``."""
    dtype = numpy.dtype(dtype)
    if numpy.isscalar(value):
        return dtype.type(value)
    return _cast(value, dtype)


def _cast(x, dtype):
    if isinstance(x, torch.Tensor):
        return x.to(torch_dtype(dtype))
    return x.astype(dtype, copy=False)


def size_of_shape(shape):
    """Number of elements of an array of ``shape`` (1 for ``()``)."""
    return math.prod(int(d) for d in shape)


def sum_to(x, shape):
    """Sum ``x`` down to ``shape``, undoing broadcasting: leading axes are
    summed away and axes where ``shape`` has 1 are summed with keepdims.

    ``x`` is a NumPy array or a tensor; the result has the same type.
    """
    shape = tuple(shape)
    if tuple(x.shape) == shape:
        return x
    lead = x.ndim - len(shape)
    if lead < 0:
        raise ValueError('sum_to cannot sum an array of shape {} to the larger shape {}.'.format(
            tuple(x.shape), shape))
    axes = tuple(range(lead)) + tuple(lead + i for i, size in enumerate(shape)
                                      if size == 1 and x.shape[lead + i] != 1)
    if isinstance(x, torch.Tensor):
        y = x.sum(dim=axes, keepdim=True)
    else:
        y = x.sum(axis=axes, keepdims=True)
    return y.reshape(shape)
