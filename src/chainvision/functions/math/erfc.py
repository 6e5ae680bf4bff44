"""The complementary error function."""

import torch

from chainvision.backend import as_tensor


def erfc(x):
    """``1 - erf(x)`` elementwise, accurate for large ``x``."""
    return torch.special.erfc(as_tensor(x))
