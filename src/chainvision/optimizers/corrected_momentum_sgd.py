"""Momentum SGD with the learning rate outside the velocity (Goyal et al.
2017, arXiv 1706.02677, Sec. 2.1)."""

import torch

from chainvision.optimizers._momentum import MomentumMethod


class CorrectedMomentumSGD(MomentumMethod):
    """Momentum SGD whose velocity accumulates raw gradients::

        v = momentum * v - grad
        param += lr * v

    Unlike :class:`MomentumSGD`, a change of ``lr`` applies to the whole
    velocity at once, the "momentum correction" of large-batch training
    (this is ``torch.optim.SGD``'s form).

    Args:
        lr (float): learning rate (default 0.01).
        momentum (float): momentum coefficient (default 0.9).

    State: ``v``.
    """

    def apply(self, hp, params, grads, states):
        """One step for all parameters at once."""
        velocity = states['v']
        torch._foreach_mul_(velocity, hp['momentum'])
        torch._foreach_sub_(velocity, grads)
        torch._foreach_add_(params, velocity, alpha=hp['lr'])
