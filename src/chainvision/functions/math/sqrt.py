"""Square root and its reciprocal."""

import torch

from chainvision.backend import as_tensor


def sqrt(x):
    """``x ** 0.5`` elementwise."""
    return torch.sqrt(as_tensor(x))


def rsqrt(x):
    """``x ** -0.5`` elementwise."""
    return torch.rsqrt(as_tensor(x))
