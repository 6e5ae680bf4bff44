"""Nesterov's accelerated gradient, in Chainer's (Sutskever's) form."""

import torch

from chainvision.optimizers._momentum import MomentumMethod


class NesterovAG(MomentumMethod):
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

    def apply(self, hp, params, grads, states):
        """One Nesterov step for all parameters at once."""
        lr, momentum = hp['lr'], hp['momentum']
        velocity = states['v']
        torch._foreach_mul_(velocity, momentum)
        torch._foreach_add_(velocity, grads, alpha=-lr)
        torch._foreach_add_(params, velocity, alpha=momentum * momentum)
        torch._foreach_add_(params, grads, alpha=-(1 + momentum) * lr)
