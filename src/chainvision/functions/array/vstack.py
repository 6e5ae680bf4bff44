"""Stacking arrays vertically, as ``numpy.vstack``."""

import torch

from chainvision.backend import as_tensors


def vstack(xs):
    """Concatenate ``xs`` along axis 0, 1-d arrays taken as rows ``(1, N)``
    (``numpy.vstack``)."""
    return torch.vstack(as_tensors(*xs))
