"""Maxout (Goodfellow et al. 2013, arXiv 1302.4389)."""

from chainvision.backend import as_tensor


def maxout(x, pool_size, axis=1):
    """The maximum over consecutive groups of ``pool_size`` entries along
    ``axis``, which shrinks ``pool_size`` times.

    Raises:
        ValueError: when ``x.shape[axis]`` is not a multiple of ``pool_size``.
    """
    x = as_tensor(x)
    axis = axis % x.ndim
    size = x.shape[axis]
    if size % pool_size:
        raise ValueError('maxout: x.shape[{}] = {} is not a multiple of pool_size {}.'.format(
            axis, size, pool_size))
    grouped = x.reshape(x.shape[:axis] + (size // pool_size, pool_size) + x.shape[axis + 1:])
    return grouped.amax(dim=axis + 1)
