"""``log(1 + x)``, accurate near 0."""

import torch

from chainvision.backend import as_tensor


def log1p(x):
    """``log(1 + x)`` elementwise, accurate for small ``|x|``."""
    return torch.log1p(as_tensor(x))
