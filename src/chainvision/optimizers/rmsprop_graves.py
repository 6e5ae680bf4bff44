"""Graves's RMSprop with momentum (Graves 2013, arXiv 1308.0850, Eq. 38-41)."""

import torch

from chainvision import optimizer


class RMSpropGraves(optimizer.GradientMethod):
    """RMSprop normalized by the running variance of the gradient, with
    momentum::

        n = alpha * n + (1 - alpha) * grad ** 2
        g = alpha * g + (1 - alpha) * grad
        delta = momentum * delta - lr * grad / sqrt(n - g ** 2 + eps)
        param += delta

    Args:
        lr (float): learning rate (default 1e-4).
        alpha (float): decay of the running averages (default 0.95).
        momentum (float): momentum coefficient (default 0.9).
        eps (float): added under the square root (default 1e-4).

    State: ``n``, ``g`` and ``delta``.
    """

    lr = optimizer.HyperparameterProxy('lr')
    alpha = optimizer.HyperparameterProxy('alpha')
    momentum = optimizer.HyperparameterProxy('momentum')
    eps = optimizer.HyperparameterProxy('eps')

    def __init__(self, lr=1e-4, alpha=0.95, momentum=0.9, eps=1e-4):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.alpha = alpha
        self.hyperparam.momentum = momentum
        self.hyperparam.eps = eps

    def state_names(self, hp):
        """The running moments ``n`` and ``g`` and the step ``delta``."""
        return ('n', 'g', 'delta')

    def apply(self, hp, params, grads, states):
        """One step for all parameters at once."""
        n, g, delta = states['n'], states['g'], states['delta']
        alpha = hp['alpha']
        torch._foreach_mul_(n, alpha)
        torch._foreach_addcmul_(n, grads, grads, value=1 - alpha)
        torch._foreach_mul_(g, alpha)
        torch._foreach_add_(g, grads, alpha=1 - alpha)
        denominator = torch._foreach_addcmul(n, g, g, value=-1)
        torch._foreach_add_(denominator, hp['eps'])
        torch._foreach_sqrt_(denominator)
        torch._foreach_mul_(delta, hp['momentum'])
        torch._foreach_addcdiv_(delta, grads, denominator, value=-hp['lr'])
        torch._foreach_add_(params, delta)
