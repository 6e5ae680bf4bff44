"""The randomized leaky rectifier (Xu et al. 2015, arXiv 1505.00853)."""

import torch

from chainvision.backend import as_tensor
from chainvision.configuration import config


def rrelu(x, l=1. / 8, u=1. / 3, *, r=None, return_r=False):  # noqa: E741 (Chainer's name)
    """``x`` where ``x >= 0``, else ``r * x``.

    In training (``config.train``) the slopes ``r`` are drawn uniformly from
    ``[l, u)``, one per element (from PyTorch's generator), unless ``r`` is
    given; in inference every slope is ``(l + u) / 2``.

    Args:
        x: float array.
        l, u (float): bounds of the slopes, ``0 <= l < u < 1``.
        r: slopes of ``x``'s shape (used in training only).
        return_r (bool): also return the slopes used.
    """
    if not 0 <= l < u < 1:
        raise ValueError('rrelu needs 0 <= l < u < 1, got l={} and u={}.'.format(l, u))
    x = as_tensor(x)
    if not config.train:
        r = torch.full_like(x, (l + u) / 2)
    elif r is None:
        r = torch.empty_like(x).uniform_(l, u)
    else:
        r = as_tensor(r, x)
    y = torch.where(x >= 0, x, x * r)
    return (y, r) if return_r else y
