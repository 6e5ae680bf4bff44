"""L2 regularization by adding ``rate * param`` to the gradient."""

import torch


class WeightDecay:
    """Add ``rate * param`` to each parameter's gradient before the update
    (L2 regularization, as Chainer's ``WeightDecay``; with SGD this equals
    ``torch.optim.SGD(weight_decay=rate)``).

    Args:
        rate (float): coefficient of the decay.

    Called per parameter as ``hook(rule, param)``; timing ``'pre'``.
    """

    name = 'WeightDecay'
    call_for_each_param = True
    timing = 'pre'

    def __init__(self, rate):
        self.rate = rate

    def __call__(self, rule, param):
        if param.grad is None:
            return
        with torch.no_grad():
            param.grad.add_(param, alpha=self.rate)
