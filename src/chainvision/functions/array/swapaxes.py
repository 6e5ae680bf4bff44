"""Swapping two axes."""

from chainvision.backend import as_tensor


def swapaxes(x, axis1, axis2):
    """Return ``x`` with axes ``axis1`` and ``axis2`` interchanged (a view)."""
    return as_tensor(x).transpose(axis1, axis2)
