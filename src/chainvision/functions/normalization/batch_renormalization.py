"""Batch renormalization (Ioffe 2017, arXiv 1702.03275)."""

import warnings

import torch

from chainvision.backend import as_tensor, as_tensors
from chainvision.functions.normalization.batch_normalization import fixed_batch_normalization


def batch_renormalization(x, gamma, beta, rmax, dmax, eps=2e-5, running_mean=None,
                          running_var=None, decay=0.9, update_statistics=False):
    """Batch normalization corrected towards the running statistics, so that
    training and inference compute nearly the same function:

        y = gamma * ((x - mean) / std * r + d) + beta
        r = clip(std / running_std, 1 / rmax, rmax)
        d = clip((mean - running_mean) / running_std, -dmax, dmax)

    with the batch ``mean`` and ``std = sqrt(var + eps)`` over all axes but
    those of ``gamma``, and ``running_std = sqrt(running_var + eps)``; ``r``
    and ``d`` are constants for backpropagation.

    Args:
        x: input ``(N, C, ...)``.
        gamma, beta: shape ``x.shape[1:1 + gamma.ndim]``, e.g. ``(C,)``.
        rmax (float), dmax (float): the bounds of ``r`` and ``d``.
        eps (float): added to the variances.
        running_mean, running_var: the running statistics (required).
        decay (float): decay of the running averages.
        update_statistics (bool): update ``running_mean`` and
            ``running_var`` in place (with the unbiased variance, as
            Chainer; its paper averages standard deviations instead).

    Raises:
        TypeError: without ``running_mean`` or ``running_var``, as in Chainer.
    """
    if running_mean is None or running_var is None:
        raise TypeError('batch_renormalization: running_mean and running_var are required')
    x, gamma, beta = as_tensors(x, gamma, beta)
    running_mean, running_var = as_tensor(running_mean, x), as_tensor(running_var, x)
    axes = (0,) + tuple(range(gamma.ndim + 1, x.ndim))
    shape = (1,) + tuple(gamma.shape) + (1,) * (x.ndim - gamma.ndim - 1)
    mean = x.mean(dim=axes, keepdim=True)
    var = x.var(dim=axes, unbiased=False, keepdim=True)
    std = torch.sqrt(var + eps)
    with torch.no_grad():
        running_std = torch.sqrt(running_var + eps).reshape(shape)
        r = (std / running_std).clamp(1.0 / rmax, rmax)
        d = ((mean - running_mean.reshape(shape)) / running_std).clamp(-dmax, dmax)
        if update_statistics:
            count = x.numel() // gamma.numel()
            running_mean.mul_(decay).add_((1 - decay) * mean.reshape(running_mean.shape))
            unbiased = var.reshape(running_var.shape) * count / max(count - 1, 1)
            running_var.mul_(decay).add_((1 - decay) * unbiased)
    x_hat = (x - mean) / std
    return gamma.reshape(shape) * (x_hat * r + d) + beta.reshape(shape)


def fixed_batch_renormalization(x, gamma, beta, mean, var, eps=2e-5):
    """Deprecated in Chainer in favour of
    :func:`~chainvision.functions.fixed_batch_normalization`, which it calls
    (and warns so)."""
    warnings.warn('fixed_batch_renormalization is deprecated. '
                  'Use fixed_batch_normalization instead.', DeprecationWarning)
    return fixed_batch_normalization(x, gamma, beta, mean, var, eps)
