"""Determinants."""

import torch

from chainvision.backend import as_tensor


def square_matrices(name, a, ndim):
    """``a`` as a tensor, checked to be a square matrix (``ndim`` 2) or a
    batch of them (``ndim`` 3); ``name`` names the function in the error."""
    a = as_tensor(a)
    if a.ndim != ndim or a.shape[-1] != a.shape[-2]:
        raise ValueError('{} expects {}, got shape {}.'.format(
            name, 'a batch of square matrices' if ndim == 3 else 'a square matrix',
            tuple(a.shape)))
    return a


def det(a):
    """The determinant of a square matrix ``a`` ``(N, N)``: a scalar."""
    return torch.linalg.det(square_matrices('det', a, 2))


def batch_det(a):
    """The determinants of a batch of square matrices ``a`` ``(B, N, N)``:
    shape ``(B,)``."""
    return torch.linalg.det(square_matrices('batch_det', a, 3))
