"""Broadcasting arrays to a shape."""

import torch

from chainvision.backend import as_tensor, as_tensors


def broadcast_to(x, shape):
    """Broadcast ``x`` to ``shape`` by NumPy's rules (a view, no copy)."""
    x = as_tensor(x)
    try:
        return x.broadcast_to(tuple(shape))
    except RuntimeError:
        raise ValueError('broadcast_to: cannot broadcast shape {} to {}.'.format(
            tuple(x.shape), tuple(shape))) from None


def broadcast(*args):
    """Broadcast the arrays ``args`` against each other (NumPy's rules).

    Returns:
        a tuple of tensors of the common shape; a single argument comes back
        as one tensor, not a tuple (as in Chainer).
    """
    xs = as_tensors(*args)
    if len(xs) == 1:
        return xs[0]
    return torch.broadcast_tensors(*xs)
