"""The sign function."""

import torch

from chainvision.backend import as_tensor


def sign(x):
    """``-1``, ``0`` or ``1`` by the sign of ``x``, elementwise; its gradient is zero."""
    return torch.sign(as_tensor(x))
