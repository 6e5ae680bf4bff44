"""Clipped rectified linear unit."""

import torch

from chainvision.backend import as_tensor


def clipped_relu(x, z=20.0):
    """``min(max(0, x), z)`` elementwise.

    Args:
        x: array of any shape.
        z (float): the upper bound (Chainer's default ``20``); must be
            positive.

    Returns:
        torch.Tensor of the shape and dtype of ``x``.
    """
    if not z > 0:
        raise ValueError('clipped_relu needs a positive upper bound z, got {}.'.format(z))
    return torch.clamp(as_tensor(x), 0.0, z)
