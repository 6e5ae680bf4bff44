"""Random matrices with chosen singular values (Chainer's ``generate_matrix``)."""

import numpy


def generate_matrix(shape, dtype=float, *, singular_values=None):
    """Return a random array of matrices, ``shape = (*batch, M, N)``, whose
    singular values are ``singular_values`` (broadcast to ``(*batch,
    min(M, N))``): products ``U diag(s) V^H`` of the orthogonal factors of
    Gaussian matrices, drawn from NumPy's global generator.

    Args:
        shape (tuple of int): at least two axes.
        dtype: a float or complex dtype.
        singular_values (array-like): non-negative, real (required).

    Raises:
        ValueError: for fewer than two axes or a negative singular value.
        TypeError: for a non-float dtype, missing or complex singular values.
    """
    if len(shape) <= 1:
        raise ValueError('shape {} is invalid for matrices: too few axes'.format(shape))
    dtype = numpy.dtype(dtype)
    if dtype.kind not in 'fc':
        raise TypeError('dtype {} is not supported'.format(dtype))
    if singular_values is None:
        raise TypeError('singular_values is not given')
    singular_values = numpy.asarray(singular_values)
    if not numpy.isrealobj(singular_values):
        raise TypeError('singular_values is not real')
    if (singular_values < 0).any():
        raise ValueError('negative singular value is given')
    values = numpy.broadcast_to(singular_values, tuple(shape[:-2]) + (min(shape[-2:]),))
    if 0 in shape:
        return numpy.empty(shape, dtype=dtype)
    a = numpy.random.randn(*shape)
    if dtype.kind == 'c':
        a = a + 1j * numpy.random.randn(*shape)
    u, _, vh = numpy.linalg.svd(a, full_matrices=False)
    return numpy.einsum('...ik,...k,...kj->...ij', u, values, vh).astype(dtype)
