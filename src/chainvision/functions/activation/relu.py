"""Rectified linear unit."""

import torch

from chainvision.backend import as_tensor


def relu(x):
    """``max(x, 0)`` elementwise.  ``x``: array of any shape; returns a tensor
    of the same shape and dtype."""
    return torch.relu(as_tensor(x))
