"""L2 regularization by adding ``rate * param`` to the gradient."""

from chainvision.optimizer_hooks._penalty import GradientPenalty


class WeightDecay(GradientPenalty):
    """Add ``rate * param`` to each parameter's gradient before the update
    (L2 regularization, as Chainer's ``WeightDecay``; with SGD this equals
    ``torch.optim.SGD(weight_decay=rate)``).

    Args:
        rate (float): coefficient of the decay.

    Called per parameter as ``hook(rule, param)``; timing ``'pre'``.
    """

    name = 'WeightDecay'

    def penalty_grad(self, param):
        return param

    def penalty_grads(self, params):
        return params
