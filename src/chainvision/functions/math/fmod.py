"""The remainder of division, with the sign of the dividend."""

import torch

from chainvision.backend import as_tensors


def fmod(x, divisor):
    """``x - divisor * fix(x / divisor)`` elementwise (C's ``fmod``: the
    result has the sign of ``x``); broadcasts.  Differentiable in both."""
    return torch.fmod(*as_tensors(x, divisor))
