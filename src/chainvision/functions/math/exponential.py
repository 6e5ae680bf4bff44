"""Exponential and logarithms."""

import torch

from chainvision.backend import as_tensor


def exp(x):
    """``e ** x`` elementwise."""
    return torch.exp(as_tensor(x))


def log(x):
    """Natural logarithm elementwise (``-inf`` at 0, ``nan`` below)."""
    return torch.log(as_tensor(x))


def log2(x):
    """Base-2 logarithm elementwise."""
    return torch.log2(as_tensor(x))


def log10(x):
    """Base-10 logarithm elementwise."""
    return torch.log10(as_tensor(x))
