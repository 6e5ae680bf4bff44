"""Matrix product."""

import warnings

import torch

from chainvision.backend import as_tensors
from chainvision.functions._dtypes import promoted


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
        torch.Tensor of shape ``(..., M, N)``, of the promoted dtype of ``a``
        and ``b`` (float16 with float32 gives float32, as in Chainer).
    """
    a, b = promoted(*as_tensors(a, b))
    a, b = _maybe_transpose(a, transa), _maybe_transpose(b, transb)
    if a.shape[-1] != b.shape[-2 if b.ndim >= 2 else -1]:
        raise ValueError('matmul: shapes {} and {} (after transa={}, transb={}) do not '
                         'align.'.format(tuple(a.shape), tuple(b.shape), transa, transb))
    return torch.matmul(a, b)


def batch_matmul(a, b, transa=False, transb=False):
    """Products of the matrices ``a[i]`` and ``b[i]`` (deprecated in Chainer
    v3 in favour of :func:`matmul`, and warns so).

    Each ``a[i]`` is ``a[i].reshape(a.shape[1], -1)``: a 2-d ``(B, N)``
    array counts as ``B`` column vectors ``(N, 1)``.  Returns ``(B, M, K)``.
    """
    warnings.warn('batch_matmul is deprecated. Use matmul instead.', DeprecationWarning)
    a, b = promoted(*as_tensors(a, b))
    a = _maybe_transpose(a.reshape(a.shape[:2] + (-1,)), transa)
    b = _maybe_transpose(b.reshape(b.shape[:2] + (-1,)), transb)
    return torch.bmm(a, b)
