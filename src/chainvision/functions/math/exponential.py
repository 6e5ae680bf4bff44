"""Exponential and natural logarithm."""

import torch

from chainvision.backend import as_tensor


def exp(x):
    """``e ** x`` elementwise."""
    return torch.exp(as_tensor(x))


def log(x):
    """Natural logarithm elementwise (``-inf`` at 0, ``nan`` below)."""
    return torch.log(as_tensor(x))
