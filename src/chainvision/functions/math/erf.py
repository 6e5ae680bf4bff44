"""The error function."""

import torch

from chainvision.backend import as_tensor


def erf(x):
    """``erf(x) = 2/sqrt(pi) * integral_0^x exp(-t^2) dt`` elementwise."""
    return torch.special.erf(as_tensor(x))
