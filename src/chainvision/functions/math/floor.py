"""Rounding down."""

import torch

from chainvision.backend import as_tensor


def floor(x):
    """The largest integer ``<= x``, elementwise, in ``x``'s float dtype; its gradient is zero
    (Chainer's is not defined)."""
    return torch.floor(as_tensor(x))
