"""Softmax."""

import torch

from chainvision.backend import as_tensor


def softmax(x, axis=1):
    """``exp(x) / sum(exp(x))`` along ``axis`` (default 1, the class axis);
    same shape as ``x``."""
    return torch.softmax(as_tensor(x), dim=axis)
