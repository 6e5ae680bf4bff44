"""Elementwise absolute error."""

from chainvision.backend import as_tensors
from chainvision.functions._shape_check import check_same_shape


def absolute_error(x0, x1):
    """``|x0 - x1|`` elementwise; ``x0`` and ``x1`` must share one shape."""
    x0, x1 = as_tensors(x0, x1)
    check_same_shape('absolute_error', x0, x1)
    return (x0 - x1).abs()
