"""Nesterov's accelerated gradient, in Chainer's (Sutskever's) form."""

import torch

from chainvision import optimizer


class NesterovAG(optimizer.GradientMethod):
    """Nesterov accelerated gradient as Chainer computes it::

        v = momentum * v - lr * grad
        param += momentum**2 * v - (1 + momentum) * lr * grad

    This differs from ``torch.optim.SGD(nesterov=True)`` (which steps by
    ``lr * (grad + momentum * buf)``): the results are not the same.

    Args:
        lr (float): learning rate (default 0.01).
        momentum (float): momentum coefficient (default 0.9).

    State: ``v`` (shaped like the parameter).
    """

    lr = optimizer.HyperparameterProxy('lr')
    momentum = optimizer.HyperparameterProxy('momentum')

    def __init__(self, lr=0.01, momentum=0.9):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.momentum = momentum

    def state_names(self, hp):
        """The velocity ``v``."""
        return ('v',)

    def apply(self, hp, params, grads, states):
        """One Nesterov step for all parameters at once."""
        lr, momentum = hp['lr'], hp['momentum']
        velocity = states['v']
        torch._foreach_mul_(velocity, momentum)
        torch._foreach_add_(velocity, grads, alpha=-lr)
        torch._foreach_add_(params, velocity, alpha=momentum * momentum)
        torch._foreach_add_(params, grads, alpha=-(1 + momentum) * lr)
