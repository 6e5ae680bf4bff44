"""The one-vs-all hinge loss."""

import torch

from chainvision.backend import as_tensors
from chainvision.functions.loss._reduce import check_reduce


def hinge(x, t, norm='L1', reduce='mean'):
    """One-vs-all hinge loss: ``max(0, 1 - x[i, t[i]])`` for the true class
    and ``max(0, 1 + x[i, k])`` for every other class ``k``.

    Args:
        x: scores of shape ``(N, K)``.
        t: int labels of shape ``(N,)``.
        norm (str): ``'L1'`` (default) or ``'L2'`` (the hinge squared).
        reduce (str): ``'mean'`` (default: the sum over all entries divided
            by ``N``) or ``'no'`` (shape ``(N, K)``).
    """
    check_reduce('hinge', reduce, ('mean', 'no'))
    if norm not in ('L1', 'L2'):
        raise ValueError("hinge: norm must be 'L1' or 'L2', got {!r}.".format(norm))
    x, t = as_tensors(x, t)
    sign = torch.ones_like(x).scatter_(1, t.long().reshape(-1, 1), -1.0)
    loss = torch.relu(1 + sign * x)
    if norm == 'L2':
        loss = loss * loss
    return loss.sum() / len(x) if reduce == 'mean' else loss
