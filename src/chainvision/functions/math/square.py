"""Elementwise square."""

import torch

from chainvision.backend import as_tensor


def square(x):
    """``x * x`` elementwise."""
    return torch.square(as_tensor(x))
