"""Separating an array into its slices."""

import torch

from chainvision.backend import as_tensor


def separate(x, axis=0):
    """Split ``x`` along ``axis`` into ``x.shape[axis]`` arrays without that
    axis; returns a tuple."""
    return tuple(torch.unbind(as_tensor(x), dim=axis))
