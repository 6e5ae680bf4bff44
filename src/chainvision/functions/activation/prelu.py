"""Parametric rectified linear unit."""

import torch

from chainvision.backend import as_tensors
from chainvision.functions._broadcast import expand_along_axis


def prelu(x, W):
    """``x`` where ``x >= 0``, ``W * x`` elsewhere.

    Args:
        x: array of shape ``(N, C, ...)``.
        W: slopes of shape ``x.shape[1:1 + W.ndim]`` (e.g. ``(C,)``),
            broadcast over the other axes, as in Chainer.

    Returns:
        torch.Tensor of the shape of ``x``.
    """
    x, W = as_tensors(x, W)
    slope = expand_along_axis(x, W.to(x.dtype), 1, 'prelu: W')
    return torch.where(x >= 0, x, slope * x)
