"""Chainer's rule for a parameter that lines up with some axes of ``x``."""


def expand_along_axis(x, y, axis, what):
    """Reshape ``y`` so that its axes meet ``x``'s axes ``axis, axis + 1,
    ...`` and it broadcasts over the rest; ``y.shape`` must equal
    ``x.shape[axis:axis + y.ndim]``.  ``what`` names ``y`` in the error,
    e.g. ``'swish: beta'``."""
    axis = axis % x.ndim if x.ndim else 0
    if tuple(y.shape) != tuple(x.shape[axis:axis + y.ndim]):
        raise ValueError('{} of shape {} must match x.shape[{}:{}] = {}.'.format(
            what, tuple(y.shape), axis, axis + y.ndim, tuple(x.shape[axis:axis + y.ndim])))
    return y.reshape((1,) * axis + tuple(y.shape) + (1,) * (x.ndim - axis - y.ndim))
