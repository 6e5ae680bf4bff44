"""Stacking arrays horizontally, as ``numpy.hstack``."""

import torch

from chainvision.backend import as_tensors


def hstack(xs):
    """Concatenate ``xs`` along axis 1, or along axis 0 when they are 1-d
    (``numpy.hstack``)."""
    return torch.hstack(as_tensors(*xs))
