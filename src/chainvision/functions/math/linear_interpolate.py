"""Linear interpolation."""

from chainvision.backend import as_tensors


def linear_interpolate(p, x, y):
    """``p * x + (1 - p) * y`` elementwise (arrays of one shape)."""
    p, x, y = as_tensors(p, x, y)
    return p * x + (1 - p) * y
