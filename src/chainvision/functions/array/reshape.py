"""Reshaping an array."""

from chainvision.backend import as_tensor


def reshape(x, shape):
    """Return ``x`` with the new ``shape`` (one entry may be ``-1``); the
    number of elements must not change.  When ``shape`` is ``x``'s own, ``x``
    itself is returned, as in Chainer."""
    x = as_tensor(x)
    if tuple(x.shape) == tuple(shape):
        return x
    try:
        return x.reshape(shape)
    except RuntimeError as error:
        raise ValueError('reshape: cannot reshape an array of shape {} into {} ({}).'.format(
            tuple(x.shape), shape, error)) from None
