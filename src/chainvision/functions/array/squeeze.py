"""Removing axes of length one."""

from chainvision.backend import as_tensor


def squeeze(x, axis=None):
    """Remove axes of length 1: all of them (``axis=None``), or the given
    int or tuple of ints, each of which must have length 1 (as NumPy; unlike
    PyTorch, which silently keeps longer ones)."""
    x = as_tensor(x)
    if axis is None:
        return x.squeeze()
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    for a in axes:
        if x.shape[a] != 1:
            raise ValueError('squeeze: axis {} of x (shape {}) has length {}, not 1.'.format(
                a, tuple(x.shape), x.shape[a]))
    return x.squeeze(axes)
