"""Cumulative sum."""

from chainvision.backend import as_tensor


def cumsum(x, axis=None):
    """Running sums of ``x`` along ``axis``; ``None`` (default) flattens
    ``x`` first, as NumPy does.  Same shape as ``x`` (1-d for ``None``)."""
    x = as_tensor(x)
    return x.reshape(-1).cumsum(0) if axis is None else x.cumsum(axis)
