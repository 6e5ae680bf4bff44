"""Comparing arrays, and the non-contiguous copies Chainer's test cases feed to functions."""

import math

import numpy
import torch

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
        # numpy.asarray: the difference of 0-d arrays is a NumPy scalar, which cannot be assigned to.
        difference = numpy.asarray(numpy.abs(x.astype(numpy.float64) - y.astype(numpy.float64)))
        # A NaN on one side only is the largest error of all.
        difference[numpy.isnan(difference) & ~(numpy.isnan(x) & numpy.isnan(y))] = numpy.inf
        where = tuple(int(i) for i in numpy.unravel_index(
            numpy.argmax(numpy.nan_to_num(difference, nan=-1.0)), difference.shape))
        raise AssertionError('{}\nlargest error {} at index {} (x={}, y={}); shapes {} and {}, '
                             'dtypes {} and {}'.format(
                                 error, difference[where], where,
                                 numpy.broadcast_to(x, difference.shape)[where],
                                 numpy.broadcast_to(y, difference.shape)[where],
                                 x.shape, y.shape, x.dtype, y.dtype)) from None


def as_noncontiguous_array(array):
    """Return a copy of an array (NumPy or tensor), or of each array in a
    tuple/list, that is not C-contiguous: a view of every other element of a
    buffer twice as large along each axis.  ``None`` and arrays of at most one
    element are returned as they are (they cannot be made non-contiguous).

    The functions under test must give the same results on such views as on
    contiguous arrays (Chainer's ``FunctionTestCase`` uses them unless
    ``contiguous = 'C'``).  Chainer reads the buffer backwards; the step here
    is positive because ``torch.as_tensor`` copies (so makes contiguous) NumPy
    arrays with negative strides, while it keeps positive ones.
    """
    if isinstance(array, (list, tuple)):
        return type(array)(as_noncontiguous_array(a) for a in array)
    if array is None or math.prod(array.shape) <= 1:
        return array
    doubled = tuple(2 * n for n in array.shape)
    if isinstance(array, torch.Tensor):
        buffer = torch.empty(doubled, dtype=array.dtype, device=array.device)
    else:
        buffer = numpy.empty(doubled, dtype=array.dtype)
    view = buffer[(slice(None, None, 2),) * array.ndim]
    view[...] = array
    return view
