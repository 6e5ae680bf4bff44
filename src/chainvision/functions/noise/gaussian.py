"""Sampling from a Gaussian by the reparameterization trick."""

import torch

from chainvision.backend import as_tensor, as_tensors


def gaussian(mean, ln_var, *, eps=None, return_eps=False):
    """``mean + exp(ln_var / 2) * eps`` with ``eps ~ N(0, 1)``: a sample of
    ``N(mean, exp(ln_var))`` differentiable in ``mean`` and ``ln_var``
    (Kingma & Welling 2014).

    Args:
        mean, ln_var: arrays of one shape (``ln_var`` is ``log(sigma^2)``).
        eps: the standard normal noise to use (default: drawn from PyTorch's
            generator; Chainer draws from NumPy's).
        return_eps (bool): also return ``eps``, to replay the same sample.
    """
    mean, ln_var = as_tensors(mean, ln_var)
    if eps is None:
        eps = torch.randn_like(ln_var)
    else:
        eps = as_tensor(eps, ln_var)
    y = mean + torch.exp(ln_var * 0.5) * eps
    return (y, eps) if return_eps else y
