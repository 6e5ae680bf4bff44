"""Rounding toward zero."""

import torch

from chainvision.backend import as_tensor


def fix(x):
    """``x`` rounded toward zero, elementwise (NumPy's ``fix``); its gradient is zero."""
    return torch.trunc(as_tensor(x))
