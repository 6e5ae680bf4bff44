"""Softplus, a smooth rectifier."""

import torch

from chainvision.backend import as_tensor


def softplus(x, beta=1.0):
    """``log(1 + exp(beta * x)) / beta`` elementwise, computed stably.

    Unlike PyTorch's ``softplus``, no threshold switches to the identity
    for large inputs: the formula holds everywhere, as in Chainer.
    """
    x = as_tensor(x)
    beta = float(beta)  # a NumPy scalar or 0-d array would not multiply a tensor
    return torch.logaddexp(beta * x, torch.zeros((), dtype=x.dtype, device=x.device)) / beta
