"""The losses of variational autoencoders (Kingma & Welling 2014, arXiv 1312.6114)."""

import math

import torch.nn.functional as torch_f

from chainvision.backend import as_tensors
from chainvision.functions.loss._reduce import sum_mean_or_no


def gaussian_kl_divergence(mean, ln_var, reduce='sum'):
    """KL divergence of ``N(mean, exp(ln_var))`` (diagonal) from ``N(0, I)``,
    elementwise ``(mean^2 + exp(ln_var) - ln_var - 1) / 2``.

    Args:
        mean, ln_var: arrays of one shape (``ln_var`` is ``log(sigma^2)``).
        reduce (str): ``'sum'`` (default), ``'mean'`` or ``'no'``.
    """
    mean, ln_var = as_tensors(mean, ln_var)
    loss = (mean * mean + ln_var.exp() - ln_var - 1) * 0.5
    return sum_mean_or_no('gaussian_kl_divergence', loss, reduce)


def bernoulli_nll(x, y, reduce='sum'):
    """Negative log-likelihood of ``x`` under Bernoulli variables of
    probability ``sigmoid(y)``, elementwise ``softplus(y) - x * y``.

    Args:
        x: the data (in ``[0, 1]``).
        y: the logits, same shape.
        reduce (str): ``'sum'`` (default), ``'mean'`` or ``'no'``.
    """
    x, y = as_tensors(x, y)
    return sum_mean_or_no('bernoulli_nll', torch_f.softplus(y) - x * y, reduce)


def gaussian_nll(x, mean, ln_var, reduce='sum'):
    """Negative log-likelihood of ``x`` under ``N(mean, exp(ln_var))``,
    elementwise ``(ln_var + log(2 pi)) / 2 + (x - mean)^2 / (2 exp(ln_var))``.

    Args:
        x, mean, ln_var: arrays of one shape.
        reduce (str): ``'sum'`` (default), ``'mean'`` or ``'no'``.
    """
    x, mean, ln_var = as_tensors(x, mean, ln_var)
    loss = (ln_var + math.log(2 * math.pi)) / 2 + 0.5 * (x - mean) ** 2 * (-ln_var).exp()
    return sum_mean_or_no('gaussian_nll', loss, reduce)
