"""Exponential linear unit."""

import torch.nn.functional as torch_f

from chainvision.backend import as_tensor


def elu(x, alpha=1.0):
    """``x`` where ``x >= 0``, ``alpha * (exp(x) - 1)`` elsewhere.

    Args:
        x: array of any shape.
        alpha (float): the scale of the negative part (default ``1.0``).

    Returns:
        torch.Tensor of the shape and dtype of ``x``.
    """
    return torch_f.elu(as_tensor(x), alpha)
