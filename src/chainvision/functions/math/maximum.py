"""Elementwise maximum of two arrays."""

import torch

from chainvision.backend import as_tensors


def maximum(x1, x2):
    """The larger of ``x1`` and ``x2`` elementwise (they broadcast).  Where
    they are equal the gradient is split evenly (Chainer gives it all to
    ``x1``)."""
    return torch.maximum(*as_tensors(x1, x2))
