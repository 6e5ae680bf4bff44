"""Classification accuracy."""

import math

import torch

from chainvision.backend import as_tensors
from chainvision.utils.type_check import InvalidType


def accuracy(y, t, ignore_label=None):
    """Fraction of examples whose argmax over axis 1 of ``y`` equals ``t``.

    Args:
        y: scores of shape ``(N, C)`` or ``(N, C, d_1, ...)``; as in Chainer,
            trailing axes of length 1 beyond ``t``'s are allowed
            (``(N, C, 1, 1)`` with ``t`` ``(N,)``).
        t: int labels of shape ``(N,)`` or ``(N, d_1, ...)``.
        ignore_label (int or None): labels to leave out of the count; if
            every label is ignored the accuracy is 0.

    Returns:
        torch.Tensor: a float scalar, never differentiable.
    """
    y, t = as_tensors(y, t)
    if (y.ndim < 2 or y.ndim <= t.ndim or y.shape[:1] + y.shape[2:t.ndim + 1] != t.shape
            or math.prod(y.shape[t.ndim + 1:]) != 1):
        raise InvalidType('y.shape[:1] + y.shape[2:] == t.shape (+ axes of length 1)',
                          'y {}, t {}'.format(tuple(y.shape), tuple(t.shape)),
                          'accuracy expects y of shape (N, C, ...) and t of shape (N, ...); '
                          'got y {} and t {}.'.format(tuple(y.shape), tuple(t.shape)))
    with torch.no_grad():
        correct = y.argmax(dim=1).reshape(t.shape) == t
        dtype = y.dtype if y.is_floating_point() else torch.float32
        if ignore_label is None:
            return correct.to(dtype).mean()
        valid = t != ignore_label
        count = valid.sum()
        if count == 0:
            return torch.zeros((), dtype=dtype, device=y.device)
        return (correct & valid).sum().to(dtype) / count
