"""Clipping values to an interval."""

import torch

from chainvision.backend import as_tensor


def clip(x, x_min, x_max):
    """``min(max(x, x_min), x_max)`` elementwise; either bound may be
    ``None`` (not both).  The gradient is 1 inside the interval, 0 outside."""
    if x_min is None and x_max is None:
        raise ValueError('clip needs x_min or x_max; both are None.')
    if x_min is not None and x_max is not None and x_min > x_max:
        raise ValueError('clip: x_min ({}) is larger than x_max ({}).'.format(x_min, x_max))
    return torch.clamp(as_tensor(x), x_min, x_max)
