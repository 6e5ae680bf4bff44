"""Hyperbolic functions, elementwise."""

import torch

from chainvision.backend import as_tensor


def sinh(x):
    """``sinh(x)`` elementwise."""
    return torch.sinh(as_tensor(x))


def cosh(x):
    """``cosh(x)`` elementwise."""
    return torch.cosh(as_tensor(x))


def arctanh(x):
    """Inverse hyperbolic tangent elementwise (``nan`` outside ``[-1, 1]``)."""
    return torch.atanh(as_tensor(x))
