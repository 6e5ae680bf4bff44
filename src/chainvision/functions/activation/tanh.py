"""Hyperbolic tangent."""

import torch

from chainvision.backend import as_tensor


def tanh(x):
    """``tanh(x)`` elementwise; same shape and dtype as ``x``."""
    return torch.tanh(as_tensor(x))
