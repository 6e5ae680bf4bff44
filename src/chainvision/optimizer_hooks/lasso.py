"""L1 regularization by adding ``rate * sign(param)`` to the gradient."""

import torch


class Lasso:
    """Add ``rate * sign(param)`` to each parameter's gradient before the
    update (L1 regularization, Chainer's ``Lasso``).

    Args:
        rate (float): coefficient of the regularization.

    Called per parameter as ``hook(rule, param)``; timing ``'pre'``.
    """

    name = 'Lasso'
    call_for_each_param = True
    timing = 'pre'

    def __init__(self, rate):
        self.rate = rate

    def __call__(self, rule, param):
        if param.grad is None:
            return
        with torch.no_grad():
            param.grad.add_(torch.sign(param), alpha=self.rate)
