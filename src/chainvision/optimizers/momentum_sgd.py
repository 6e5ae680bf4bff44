"""Stochastic gradient descent with classical momentum."""

import torch

from chainvision.optimizers._momentum import MomentumMethod


class MomentumSGD(MomentumMethod):
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

    def apply(self, hp, params, grads, states):
        """One momentum step for all parameters at once."""
        velocity = states['v']
        torch._foreach_mul_(velocity, hp['momentum'])
        torch._foreach_add_(velocity, grads, alpha=-hp['lr'])
        torch._foreach_add_(params, velocity)
