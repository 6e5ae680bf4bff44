"""Squared L2 norm of each example."""

from chainvision.backend import as_tensor


def batch_l2_norm_squared(x):
    """``sum(x[i] ** 2)`` for each ``i`` along the first axis: shape ``(N,)``
    for ``x`` of shape ``(N, ...)``."""
    x = as_tensor(x)
    if x.ndim < 1:
        raise ValueError('batch_l2_norm_squared expects at least one axis.')
    return (x * x).reshape(len(x), -1).sum(dim=1)
