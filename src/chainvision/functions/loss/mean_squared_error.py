"""Mean squared error."""

from chainvision.functions.loss.squared_error import squared_error


def mean_squared_error(x0, x1):
    """Mean of ``(x0 - x1) ** 2`` over all elements; a scalar.  ``x0`` and
    ``x1`` must share one shape (no broadcasting, as in Chainer)."""
    return squared_error(x0, x1).mean()
