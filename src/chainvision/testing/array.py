"""Test helpers (Chainer's ``chainer.testing``, the part that compares arrays)."""

import numpy

from chainvision.backend import to_cpu


def assert_allclose(x, y, atol=1e-5, rtol=1e-4, verbose=True):
    """Assert ``|x - y| <= atol + rtol * |y|`` elementwise, Chainer's default
    tolerances; ``x`` and ``y`` may be tensors (any device), NumPy arrays or
    scalars, and must broadcast to one shape.

    Raises:
        AssertionError: naming the largest error and where it is.
    """
    x, y = numpy.asarray(to_cpu(x)), numpy.asarray(to_cpu(y))
    try:
        numpy.testing.assert_allclose(x, y, rtol=rtol, atol=atol, verbose=verbose)
    except AssertionError as error:
        difference = numpy.abs(x.astype(numpy.float64) - y.astype(numpy.float64))
        where = tuple(int(i) for i in numpy.unravel_index(numpy.nanargmax(difference),
                                                         difference.shape))
        raise AssertionError('{}\nlargest error {} at index {} (x={}, y={}); shapes {} and {}, '
                             'dtypes {} and {}'.format(
                                 error, difference[where], where,
                                 numpy.broadcast_to(x, difference.shape)[where],
                                 numpy.broadcast_to(y, difference.shape)[where],
                                 x.shape, y.shape, x.dtype, y.dtype)) from None
