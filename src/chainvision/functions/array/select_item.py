"""Selecting one element of each row."""

import torch

from chainvision.backend import as_tensors


def select_item(x, t):
    """``x[i, t[i]]`` for every row ``i``.

    Args:
        x: array of shape ``(B, N)``.
        t: int indices of shape ``(B,)``, each in ``[0, N)``.

    Returns:
        torch.Tensor of shape ``(B,)``; differentiable in ``x``.
    """
    x, t = as_tensors(x, t)
    if x.ndim != 2 or t.shape != x.shape[:1]:
        raise ValueError('select_item expects x of shape (B, N) and t of shape (B,), got {} '
                         'and {}.'.format(tuple(x.shape), tuple(t.shape)))
    return x.gather(1, t.long().unsqueeze(1)).squeeze(1)
