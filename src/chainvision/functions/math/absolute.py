"""Absolute value."""

import torch

from chainvision.backend import as_tensor


def absolute(x):
    """``|x|`` elementwise (gradient ``sign(x)``, 0 at 0)."""
    return torch.abs(as_tensor(x))
