"""The standard normal cumulative distribution function."""

import torch

from chainvision.backend import as_tensor


def ndtr(x):
    """``P(Z <= x)`` for a standard normal ``Z``, elementwise."""
    return torch.special.ndtr(as_tensor(x))
