"""Stacking arrays along the third axis, as ``numpy.dstack``."""

import torch

from chainvision.backend import as_tensors


def dstack(xs):
    """Concatenate ``xs`` along axis 2, after making 1-d ``(N,)`` arrays
    ``(1, N, 1)`` and 2-d ``(M, N)`` arrays ``(M, N, 1)`` (``numpy.dstack``)."""
    return torch.dstack(as_tensors(*xs))
