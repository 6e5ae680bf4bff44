"""Vanilla stochastic gradient descent."""

import torch

from chainvision import optimizer


class SGD(optimizer.GradientMethod):
    """Stochastic gradient descent: ``param -= lr * grad``.

    Args:
        lr (float): learning rate (Chainer's default 0.01).

    State: none.
    """

    lr = optimizer.HyperparameterProxy('lr')

    def __init__(self, lr=0.01):
        super().__init__()
        self.hyperparam.lr = lr

    def state_names(self, hp):
        """SGD keeps no state."""
        return ()

    def apply(self, hp, params, grads, states):
        """``param -= lr * grad`` for all parameters at once."""
        torch._foreach_add_(params, grads, alpha=-hp['lr'])
