"""Rolling an axis backwards, as ``numpy.rollaxis``."""

from chainvision.backend import as_tensor


def rollaxis(x, axis, start=0):
    """Move ``axis`` of ``x`` so that it comes before the axis now at
    ``start`` (``numpy.rollaxis``; :func:`moveaxis` is the clearer form).

    Raises:
        ValueError: for an axis or start out of range.
    """
    x = as_tensor(x)
    ndim = x.ndim
    if not -ndim <= axis < ndim or not -ndim <= start <= ndim:
        raise ValueError('rollaxis: axis {} or start {} out of range for {} axes.'.format(
            axis, start, ndim))
    axis, start = axis % ndim, start % (ndim + 1)
    if axis < start:
        start -= 1
    order = [a for a in range(ndim) if a != axis]
    order.insert(start, axis)
    return x.permute(order)
