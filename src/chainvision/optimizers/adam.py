"""Adam, and its AdamW and AMSGrad forms."""

import math

import torch

from chainvision import optimizer


def _alpha_t(hp, t):
    if t == 0:
        raise RuntimeError("Can't determine the learning rate of Adam: no update has been made "
                           "yet (t == 0).")
    fix1 = 1. - math.pow(hp['beta1'], t)
    fix2 = 1. - math.pow(hp['beta2'], t)
    return hp['alpha'] * math.sqrt(fix2) / fix1


class Adam(optimizer.GradientMethod):
    """Adam (Kingma and Ba, 2015) with Chainer's options::

        m += (1 - beta1) * (grad - m)
        v += (1 - beta2) * (grad * grad - v)
        vhat = max(vhat, v) if amsgrad else v
        alpha_t = alpha * sqrt(1 - beta2**t) / (1 - beta1**t)
        param -= eta * (alpha_t * m / (sqrt(vhat) + eps)
                        + weight_decay_rate * param)

    ``weight_decay_rate > 0`` is the decoupled weight decay of AdamW
    (Loshchilov and Hutter); ``eta`` is a schedule multiplier.  This differs
    from ``torch.optim.Adam``, which adds ``eps`` to ``sqrt(v / (1 -
    beta2**t))`` rather than to ``sqrt(v)``, and from ``torch.optim.AdamW``,
    whose decay is ``lr * weight_decay`` rather than ``eta *
    weight_decay_rate``.

    Args:
        alpha (float): step size (default 0.001).
        beta1, beta2 (float): moment decay rates (0.9, 0.999).
        eps (float): for numerical stability (1e-8).
        eta (float): schedule multiplier (1.0).
        weight_decay_rate (float): decoupled weight decay (0).
        amsgrad (bool): use AMSGrad's running maximum of ``v`` (False).

    State: ``m``, ``v`` and, with ``amsgrad``, ``vhat``.
    ``lr`` is the effective step ``alpha_t`` of the current ``t`` (Chainer
    v7 spells it ``alpha_t`` and deprecates ``lr``); schedules change
    ``alpha`` or ``eta``.
    """

    alpha = optimizer.HyperparameterProxy('alpha')
    beta1 = optimizer.HyperparameterProxy('beta1')
    beta2 = optimizer.HyperparameterProxy('beta2')
    eps = optimizer.HyperparameterProxy('eps')
    eta = optimizer.HyperparameterProxy('eta')
    weight_decay_rate = optimizer.HyperparameterProxy('weight_decay_rate')
    amsgrad = optimizer.HyperparameterProxy('amsgrad')

    def __init__(self, alpha=0.001, beta1=0.9, beta2=0.999, eps=1e-8, eta=1.0,
                 weight_decay_rate=0, amsgrad=False):
        super().__init__()
        self.hyperparam.alpha = alpha
        self.hyperparam.beta1 = beta1
        self.hyperparam.beta2 = beta2
        self.hyperparam.eps = eps
        self.hyperparam.eta = eta
        self.hyperparam.weight_decay_rate = weight_decay_rate
        self.hyperparam.amsgrad = amsgrad

    @property
    def alpha_t(self):
        """The bias-corrected step size at the current ``t`` (error at 0)."""
        return _alpha_t(self.hyperparam.get_dict(), self.t)

    @property
    def lr(self):
        """Same as :attr:`alpha_t`."""
        return self.alpha_t

    def state_names(self, hp):
        """``m``, ``v`` (and ``vhat`` with AMSGrad)."""
        return ('m', 'v', 'vhat') if hp['amsgrad'] else ('m', 'v')

    def apply(self, hp, params, grads, states):
        """One Adam step for all parameters at once."""
        first, second = states['m'], states['v']
        torch._foreach_lerp_(first, grads, 1 - hp['beta1'])
        torch._foreach_lerp_(second, torch._foreach_mul(grads, grads), 1 - hp['beta2'])
        if hp['amsgrad']:
            torch._foreach_maximum_(states['vhat'], second)
            second = states['vhat']
        denominator = torch._foreach_sqrt(second)
        torch._foreach_add_(denominator, hp['eps'])
        if hp['weight_decay_rate']:
            torch._foreach_mul_(params, 1 - hp['eta'] * hp['weight_decay_rate'])
        torch._foreach_addcdiv_(params, first, denominator,
                                value=-hp['eta'] * _alpha_t(hp, hp['t']))


class AdamW(Adam):
    """Adam with decoupled weight decay (Chainer's ``AdamW``): the same as
    ``Adam(..., weight_decay_rate=weight_decay_rate)``."""

    def __init__(self, alpha=0.001, beta1=0.9, beta2=0.999, eps=1e-8, eta=1.0,
                 weight_decay_rate=0):
        super().__init__(alpha, beta1, beta2, eps, eta, weight_decay_rate)


class AMSGrad(Adam):
    """Adam with ``amsgrad=True`` (Chainer's ``AMSGrad``)."""

    def __init__(self, alpha=0.001, beta1=0.9, beta2=0.999, eps=1e-8, eta=1.0):
        super().__init__(alpha, beta1, beta2, eps, eta, amsgrad=True)
