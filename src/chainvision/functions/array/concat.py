"""Concatenation of arrays."""

import torch

from chainvision.backend import as_tensors


def concat(xs, axis=1):
    """Join arrays along ``axis`` (default 1, the channel axis); all other
    axes must agree."""
    return torch.cat(as_tensors(*xs), dim=axis)
