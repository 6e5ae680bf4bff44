"""Matrix inverses."""

import torch

from chainvision.functions.math.det import square_matrices


def inv(a):
    """The inverse of a square matrix ``a`` ``(N, N)``."""
    return torch.linalg.inv(square_matrices('inv', a, 2))


def batch_inv(a):
    """The inverses of a batch of square matrices ``a`` ``(B, N, N)``."""
    return torch.linalg.inv(square_matrices('batch_inv', a, 3))
