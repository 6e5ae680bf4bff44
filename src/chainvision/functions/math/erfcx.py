"""The scaled complementary error function."""

import torch

from chainvision.backend import as_tensor


def erfcx(x):
    """``exp(x^2) * erfc(x)`` elementwise, finite for large ``x``."""
    return torch.special.erfcx(as_tensor(x))
