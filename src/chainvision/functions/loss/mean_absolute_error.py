"""Mean absolute error."""

from chainvision.functions.loss.absolute_error import absolute_error


def mean_absolute_error(x0, x1):
    """Mean of ``|x0 - x1|`` over all elements; a scalar.  ``x0`` and ``x1``
    must share one shape."""
    return absolute_error(x0, x1).mean()
