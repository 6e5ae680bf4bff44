"""Repeating an array as tiles."""

import torch

from chainvision.backend import as_tensor


def tile(x, reps):
    """Repeat ``x`` ``reps`` times along each axis, as ``numpy.tile``
    (an int or a tuple; extra leading reps add axes)."""
    reps = (reps,) if isinstance(reps, int) else tuple(reps)
    return torch.tile(as_tensor(x), reps)
