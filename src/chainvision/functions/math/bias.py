"""Adding an array along some axes of another."""

from chainvision.backend import as_tensors
from chainvision.functions._broadcast import expand_along_axis


def bias(x, y, axis=1):
    """``x + y`` with ``y`` of shape ``x.shape[axis:axis + y.ndim]``
    broadcast over the other axes of ``x`` (Chainer's ``F.bias``)."""
    x, y = as_tensors(x, y)
    return x + expand_along_axis(x, y, axis, 'bias: y')
