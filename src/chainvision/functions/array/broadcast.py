"""Broadcasting an array to a shape."""

from chainvision.backend import as_tensor


def broadcast_to(x, shape):
    """Broadcast ``x`` to ``shape`` by NumPy's rules (a view, no copy)."""
    x = as_tensor(x)
    try:
        return x.broadcast_to(tuple(shape))
    except RuntimeError:
        raise ValueError('broadcast_to: cannot broadcast shape {} to {}.'.format(
            tuple(x.shape), tuple(shape))) from None
