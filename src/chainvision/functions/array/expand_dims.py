"""Inserting an axis of length one."""

from chainvision.backend import as_tensor


def expand_dims(x, axis):
    """Insert a new axis of length 1 at ``axis`` (``-x.ndim - 1 <= axis <=
    x.ndim``)."""
    return as_tensor(x).unsqueeze(axis)
