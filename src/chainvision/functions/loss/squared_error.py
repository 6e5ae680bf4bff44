"""Elementwise squared error."""

from chainvision.backend import as_tensors
from chainvision.functions._shape_check import check_same_shape


def squared_error(x0, x1):
    """``(x0 - x1) ** 2`` elementwise; ``x0`` and ``x1`` must share one
    shape.  Returns a tensor of that shape."""
    x0, x1 = as_tensors(x0, x1)
    check_same_shape('squared_error', x0, x1)
    return (x0 - x1).square()


squared_difference = squared_error
