"""Swish activation with a learnable (or fixed) ``beta``."""

import torch

from chainvision.backend import as_tensors


def swish(x, beta):
    """``x * sigmoid(beta * x)``.

    Args:
        x: array of shape ``(N, C, ...)``.
        beta: array broadcast along the axes of ``x`` that follow the batch
            axis, as in Chainer: its shape must equal
            ``x.shape[1:1 + beta.ndim]`` (e.g. ``(C,)`` for one beta per
            channel).  A Python float is also accepted.

    Returns:
        torch.Tensor of the shape of ``x``.
    """
    x, beta = as_tensors(x, beta)
    beta = beta.to(x.dtype)
    if tuple(beta.shape) != tuple(x.shape[1:1 + beta.ndim]):
        raise ValueError(
            'swish: beta of shape {} does not match x of shape {}; beta must have '
            'the shape x.shape[1:1 + beta.ndim].'.format(tuple(beta.shape), tuple(x.shape)))
    beta = beta.reshape((1,) + tuple(beta.shape) + (1,) * (x.ndim - 1 - beta.ndim))
    return x * torch.sigmoid(beta * x)
