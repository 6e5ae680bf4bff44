"""Input checks shared by several functions (Chainer's type checks, as
ValueErrors that say what was expected)."""


def check_ndim(name, x, ndim, layout):
    """Raise unless ``x.ndim == ndim``; ``layout`` names the axes, e.g.
    ``'(N, C, H, W)'``."""
    if x.ndim != ndim:
        raise ValueError('{} expects x of shape {}, got shape {}.'.format(
            name, layout, tuple(x.shape)))


def check_same_shape(name, x0, x1):
    """Raise unless ``x0`` and ``x1`` have one shape."""
    if x0.shape != x1.shape:
        raise ValueError('{} expects two arrays of one shape, got {} and {}.'.format(
            name, tuple(x0.shape), tuple(x1.shape)))
