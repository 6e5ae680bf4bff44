"""Sum of several arrays."""

from chainvision.backend import as_tensors


def add(*xs):
    """Elementwise sum of the arrays ``xs`` (at least one), which must share
    one shape (Chainer's ``add``; ``x0 + x1`` broadcasts where ``add`` does
    not).

    Raises:
        ValueError: when the shapes differ.
    """
    xs = as_tensors(*xs)
    if not xs or any(x.shape != xs[0].shape for x in xs):
        raise ValueError('add expects one or more arrays of one shape, got shapes {}.'.format(
            [tuple(x.shape) for x in xs]))
    total = xs[0]
    for x in xs[1:]:
        total = total + x
    return total
