"""Layer normalization."""

import torch.nn.functional as torch_f

from chainvision.backend import as_tensors
from chainvision.functions._shape_check import check_ndim


def layer_normalization(x, gamma, beta, eps=1e-05):
    """Normalize each row of ``x`` by its mean and (biased) variance, then
    scale by ``gamma`` and shift by ``beta``.

    Args:
        x: array of shape ``(N, D)``.
        gamma, beta: arrays of shape ``(D,)``.
        eps (float): added to the variance.

    Returns:
        torch.Tensor of shape ``(N, D)``.
    """
    x, gamma, beta = as_tensors(x, gamma, beta)
    check_ndim('layer_normalization', x, 2, '(N, D)')
    return torch_f.layer_norm(x, (x.shape[1],), gamma, beta, eps)
