"""Input checks shared by several functions (Chainer's type checks): they
raise :class:`~chainvision.utils.type_check.InvalidType`, a ValueError that
says what was expected."""

from chainvision.utils.type_check import InvalidType


def check_ndim(name, x, ndim, layout):
    """Raise unless ``x.ndim == ndim``; ``layout`` names the axes, e.g.
    ``'(N, C, H, W)'``."""
    if x.ndim != ndim:
        raise InvalidType('x.ndim == {}'.format(ndim), 'x.ndim = {}'.format(x.ndim),
                          '{} expects x of shape {}, got shape {}.'.format(
                              name, layout, tuple(x.shape)))


def check_same_shape(name, x0, x1):
    """Raise unless ``x0`` and ``x1`` have one shape."""
    if x0.shape != x1.shape:
        raise InvalidType('x0.shape == x1.shape', '{} != {}'.format(
            tuple(x0.shape), tuple(x1.shape)), '{} expects two arrays of one shape, got {} and '
            '{}.'.format(name, tuple(x0.shape), tuple(x1.shape)))
