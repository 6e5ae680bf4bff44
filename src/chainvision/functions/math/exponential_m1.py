"""``exp(x) - 1``, accurate near 0."""

import torch

from chainvision.backend import as_tensor


def expm1(x):
    """``exp(x) - 1`` elementwise, accurate for small ``|x|``."""
    return torch.expm1(as_tensor(x))
