"""The Hurwitz zeta function."""

import torch

from chainvision.backend import as_tensors


def zeta(x, q):
    """``sum_k 1 / (k + q) ** x`` elementwise (Hurwitz zeta), differentiable
    in ``q``.

    Args:
        x: the exponents, ``> 1`` (an array; not differentiated, as in Chainer).
        q: the offsets, ``> 0``.
    """
    x, q = as_tensors(x, q)
    return torch.special.zeta(x.detach(), q)
