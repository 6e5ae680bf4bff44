"""Elementwise minimum of two arrays."""

import torch

from chainvision.backend import as_tensors


def minimum(x1, x2):
    """The smaller of ``x1`` and ``x2`` elementwise; as :func:`maximum`."""
    return torch.minimum(*as_tensors(x1, x2))
