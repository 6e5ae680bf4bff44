"""Leaky rectified linear unit."""

import torch.nn.functional as torch_f

from chainvision.backend import as_tensor


def leaky_relu(x, slope=0.2):
    """``x`` where ``x >= 0``, ``slope * x`` elsewhere.

    Args:
        x: array of any shape.
        slope (float): the negative-side slope; Chainer's default ``0.2``
            (PyTorch's is ``0.01``).

    Returns:
        torch.Tensor of the shape and dtype of ``x``.
    """
    return torch_f.leaky_relu(as_tensor(x), slope)
