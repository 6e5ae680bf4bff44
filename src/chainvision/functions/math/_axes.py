"""Axis arguments of the reductions, in Chainer's forms."""


def reduction_dims(x, axis):
    """Return the ``dim`` argument for torch: all axes for ``None``, a tuple
    for an int or a tuple."""
    if axis is None:
        return tuple(range(x.ndim))
    return (axis,) if isinstance(axis, int) else tuple(axis)
