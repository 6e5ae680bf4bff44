"""The digamma function."""

import torch

from chainvision.backend import as_tensor


def digamma(x):
    """``d/dx log Gamma(x)`` elementwise."""
    return torch.special.digamma(as_tensor(x))
