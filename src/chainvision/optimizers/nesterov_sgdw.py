"""Nesterov momentum SGD with decoupled weight decay (not part of Chainer v7)."""

import torch

from chainvision import optimizer


class NesterovSGDW(optimizer.GradientMethod):
    """SGD with Nesterov momentum in PyTorch's form and decoupled weight
    decay (Loshchilov & Hutter's SGDW, arXiv:1711.05101)::

        v = momentum * v + grad
        param *= 1 - eta * weight_decay_rate
        param -= eta * lr * (grad + momentum * v)

    ``eta`` is the schedule's multiplier (as in :class:`Adam`), so
    parameters given their own ``lr`` (``param.update_rule.hyperparam.lr``)
    follow the same schedule, and the decay does not change when ``lr``
    does.  With ``eta = 1`` and no decay this is
    ``torch.optim.SGD(lr, momentum, nesterov=True)``; it differs from
    Chainer's :class:`NesterovAG` (Sutskever's form, whose velocity holds
    ``lr``).

    Args:
        lr (float): learning rate (default 0.01).
        momentum (float): momentum coefficient (default 0.9).
        eta (float): schedule multiplier (default 1).
        weight_decay_rate (float): decoupled decay per step at ``eta = 1``
            (default 0).

    State: ``v`` (the momentum buffer, shaped like the parameter).
    """

    lr = optimizer.HyperparameterProxy('lr')
    momentum = optimizer.HyperparameterProxy('momentum')
    eta = optimizer.HyperparameterProxy('eta')
    weight_decay_rate = optimizer.HyperparameterProxy('weight_decay_rate')

    def __init__(self, lr=0.01, momentum=0.9, eta=1.0, weight_decay_rate=0.):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.momentum = momentum
        self.hyperparam.eta = eta
        self.hyperparam.weight_decay_rate = weight_decay_rate

    def state_names(self, hp):
        """The momentum buffer ``v``."""
        return ('v',)

    def apply(self, hp, params, grads, states):
        """One step for all parameters at once."""
        velocity, momentum = states['v'], hp['momentum']
        torch._foreach_mul_(velocity, momentum)
        torch._foreach_add_(velocity, grads)
        if hp['weight_decay_rate']:
            torch._foreach_mul_(params, 1 - hp['eta'] * hp['weight_decay_rate'])
        step = torch._foreach_add(grads, velocity, alpha=momentum)
        torch._foreach_add_(params, step, alpha=-hp['eta'] * hp['lr'])
