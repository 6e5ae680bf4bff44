"""Swish activation with a learnable (or fixed) ``beta``."""

import torch

from chainvision.backend import as_tensors
from chainvision.functions._broadcast import expand_along_axis


def swish(x, beta):
    """``x * sigmoid(beta * x)``.

    Args:
        x: array of shape ``(N, C, ...)``.
        beta: array of shape ``x.shape[1:1 + beta.ndim]`` (e.g. ``(C,)`` for
            one beta per channel), broadcast over the other axes, as in
            Chainer.

    Returns:
        torch.Tensor of the shape of ``x``.
    """
    x, beta = as_tensors(x, beta)
    beta = expand_along_axis(x, beta.to(x.dtype), 1, 'swish: beta')
    return x * torch.sigmoid(beta * x)
