"""Stochastic gradient descent with classical momentum."""

import torch

from chainvision import optimizer


class MomentumSGD(optimizer.GradientMethod):
    """Momentum SGD in Chainer's form::

        v = momentum * v - lr * grad
        param += v

    With a constant ``lr`` this equals ``torch.optim.SGD(momentum=...,
    dampening=0)``; when ``lr`` changes (a schedule), the velocity keeps the
    steps taken at the old rate, exactly as in Chainer, whereas PyTorch
    rescales the whole buffer by the new rate.

    Args:
        lr (float): learning rate (default 0.01).
        momentum (float): momentum coefficient (default 0.9).

    State: ``v`` (the velocity, shaped like the parameter).
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
        """One momentum step for all parameters at once."""
        velocity = states['v']
        torch._foreach_mul_(velocity, hp['momentum'])
        torch._foreach_add_(velocity, grads, alpha=-hp['lr'])
        torch._foreach_add_(params, velocity)
