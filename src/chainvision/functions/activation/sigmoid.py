"""Logistic sigmoid."""

import torch

from chainvision.backend import as_tensor


def sigmoid(x):
    """``1 / (1 + exp(-x))`` elementwise; same shape as ``x``."""
    return torch.sigmoid(as_tensor(x))
