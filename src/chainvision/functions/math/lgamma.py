"""The log-gamma function."""

import torch

from chainvision.backend import as_tensor


def lgamma(x):
    """``log|Gamma(x)|`` elementwise."""
    return torch.lgamma(as_tensor(x))
