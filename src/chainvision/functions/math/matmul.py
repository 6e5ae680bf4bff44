"""Matrix product."""

import torch

from chainvision.backend import as_tensors


def _maybe_transpose(a, trans):
    if trans and a.ndim >= 2:
        return a.transpose(-1, -2)
    return a


def matmul(a, b, transa=False, transb=False):
    """``a @ b`` with NumPy's ``matmul`` rules (batched over leading axes).

    Args:
        a, b: arrays of shape ``(..., M, K)`` and ``(..., K, N)`` (or 1-D).
        transa, transb (bool): swap the last two axes of ``a`` / ``b`` first.

    Returns:
        torch.Tensor of shape ``(..., M, N)``.
    """
    a, b = as_tensors(a, b)
    a, b = _maybe_transpose(a, transa), _maybe_transpose(b, transb)
    if a.shape[-1] != b.shape[-2 if b.ndim >= 2 else -1]:
        raise ValueError('matmul: shapes {} and {} (after transa={}, transb={}) do not '
                         'align.'.format(tuple(a.shape), tuple(b.shape), transa, transb))
    return torch.matmul(a, b)
