"""Diagonals of an array, as ``numpy.diagonal``."""

import torch

from chainvision.backend import as_tensor


def diagonal(x, offset=0, axis1=0, axis2=1):
    """The diagonal of the ``(axis1, axis2)`` planes of ``x``, ``offset``
    above (positive) or below (negative) the main one; the diagonal becomes
    the last axis (``numpy.diagonal``)."""
    return torch.diagonal(as_tensor(x), offset, axis1, axis2)
