"""Logarithm of the softmax."""

import torch

from chainvision.backend import as_tensor


def log_softmax(x, axis=1):
    """``log(softmax(x))`` along ``axis`` (default 1), computed stably;
    same shape as ``x``."""
    return torch.log_softmax(as_tensor(x), dim=axis)
