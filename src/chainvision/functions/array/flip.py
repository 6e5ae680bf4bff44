"""Reversing an array along an axis."""

from chainvision.backend import as_tensor


def flip(x, axis):
    """Reverse the order of the elements of ``x`` along ``axis``."""
    return as_tensor(x).flip(axis)


def fliplr(x):
    """Reverse along axis 1 (left/right for a 2-D array)."""
    return flip(x, 1)


def flipud(x):
    """Reverse along axis 0 (up/down for a 2-D array)."""
    return flip(x, 0)
