"""The logarithm of the standard normal cumulative distribution function."""

import torch

from chainvision.backend import as_tensor


def log_ndtr(x):
    """``log(ndtr(x))`` elementwise, accurate for very negative ``x``."""
    return torch.special.log_ndtr(as_tensor(x))
