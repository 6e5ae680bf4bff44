"""The polygamma functions."""

import torch

from chainvision.backend import as_tensors


def polygamma(n, x):
    """The ``n``-th derivative of the digamma function at ``x``, elementwise.

    Args:
        n: non-negative integer orders, an int array or tensor broadcastable
            with ``x`` (not differentiated).
        x: the points.
    """
    n, x = as_tensors(n, x)
    shape = torch.broadcast_shapes(n.shape, x.shape)
    n, x = n.broadcast_to(shape), x.broadcast_to(shape)
    result = torch.zeros_like(x)
    for order in torch.unique(n).tolist():  # torch.polygamma takes one int order
        result = torch.where(n == order, torch.polygamma(int(order), x), result)
    return result
