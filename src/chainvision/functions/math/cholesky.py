"""Cholesky decomposition."""

import torch

from chainvision.functions.math.det import square_matrices


def cholesky(a):
    """The lower-triangular ``L`` with ``L @ L.T == a`` for a symmetric
    positive-definite matrix ``a`` ``(N, N)`` (``numpy.linalg.cholesky``)."""
    return torch.linalg.cholesky(square_matrices('cholesky', a, 2))
