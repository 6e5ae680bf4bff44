"""Cumulative product."""

from chainvision.backend import as_tensor


def cumprod(x, axis=None):
    """Running products of ``x`` along ``axis``; ``None`` (default) flattens
    ``x`` first, as NumPy does.  Same shape as ``x`` (1-d for ``None``)."""
    x = as_tensor(x)
    return x.reshape(-1).cumprod(0) if axis is None else x.cumprod(axis)
