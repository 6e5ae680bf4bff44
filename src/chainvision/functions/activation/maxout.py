"""Maxout (Goodfellow et al. 2013, arXiv 1302.4389)."""

from chainvision.backend import as_tensor
from chainvision.utils.type_check import InvalidType


def maxout(x, pool_size, axis=1):
    """The maximum over consecutive groups of ``pool_size`` entries along
    ``axis``, which shrinks ``pool_size`` times.

    Raises:
        ValueError: when ``pool_size`` is not positive.
        InvalidType: when ``x.shape[axis]`` is not a multiple of ``pool_size``.
    """
    if pool_size <= 0:
        raise ValueError('maxout: pool_size must be a positive integer, got {}.'.format(pool_size))
    x = as_tensor(x)
    axis = axis % x.ndim
    size = x.shape[axis]
    if size % pool_size:
        raise InvalidType('x.shape[{}] % pool_size == 0'.format(axis), '{} % {} = {}'.format(
            size, pool_size, size % pool_size), 'maxout: x.shape[{}] = {} is not a multiple of '
            'pool_size {}.'.format(axis, size, pool_size))
    grouped = x.reshape(x.shape[:axis] + (size // pool_size, pool_size) + x.shape[axis + 1:])
    return grouped.amax(dim=axis + 1)
