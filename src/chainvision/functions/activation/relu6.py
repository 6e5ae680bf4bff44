"""Rectified linear unit capped at 6."""

import torch

from chainvision.backend import as_tensor


def relu6(x):
    """``min(max(0, x), 6)`` elementwise; same shape as ``x``."""
    return torch.clamp(as_tensor(x), 0.0, 6.0)
