"""The Gumbel-softmax relaxation of categorical sampling (Jang et al. 2017,
arXiv 1611.01144)."""

import torch

from chainvision.backend import as_tensor


def gumbel_softmax(log_pi, tau=0.1, axis=1):
    """``softmax((log_pi + g) / tau)`` along ``axis`` with Gumbel(0, 1) noise
    ``g`` (from PyTorch's generator): a differentiable, nearly one-hot sample
    of the categorical distribution ``softmax(log_pi)``; smaller ``tau`` is
    closer to one-hot.  A 0-d ``log_pi`` gives 1, as in Chainer."""
    log_pi = as_tensor(log_pi)
    if log_pi.ndim < 1:
        return torch.ones((), dtype=log_pi.dtype, device=log_pi.device)
    gumbel = -torch.log(-torch.log(torch.rand_like(log_pi).clamp_min(1e-20)))
    return torch.softmax((log_pi + gumbel) / tau, dim=axis)
