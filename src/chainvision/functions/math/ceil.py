"""Rounding up."""

import torch

from chainvision.backend import as_tensor


def ceil(x):
    """The smallest integer ``>= x``, elementwise, in ``x``'s float dtype; its gradient is zero
    (Chainer's is not defined)."""
    return torch.ceil(as_tensor(x))
