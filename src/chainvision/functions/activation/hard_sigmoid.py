"""Piecewise-linear approximation of the sigmoid."""

import torch

from chainvision.backend import as_tensor


def hard_sigmoid(x):
    """``clip(0.2 * x + 0.5, 0, 1)`` elementwise (Chainer's definition;
    PyTorch's ``hardsigmoid`` uses ``x / 6 + 0.5`` instead).  Same shape as
    ``x``."""
    return torch.clamp(as_tensor(x) * 0.2 + 0.5, 0.0, 1.0)
