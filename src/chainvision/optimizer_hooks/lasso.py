"""L1 regularization by adding ``rate * sign(param)`` to the gradient."""

import torch

from chainvision.optimizer_hooks._penalty import GradientPenalty


class Lasso(GradientPenalty):
    """Add ``rate * sign(param)`` to each parameter's gradient before the
    update (L1 regularization, Chainer's ``Lasso``).

    Args:
        rate (float): coefficient of the regularization.

    Called per parameter as ``hook(rule, param)``; timing ``'pre'``.
    """

    name = 'Lasso'

    def penalty_grad(self, param):
        return torch.sign(param)

    def penalty_grads(self, params):
        return torch._foreach_sign(params)
