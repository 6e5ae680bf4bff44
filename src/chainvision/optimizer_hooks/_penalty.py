"""What the regularization hooks share: add a penalty's gradient."""

import torch


class GradientPenalty:
    """Per-parameter hook adding ``rate * penalty_grad(param)`` to the
    gradient before the update (timing ``'pre'``)."""

    call_for_each_param = True
    timing = 'pre'

    def __init__(self, rate):
        self.rate = rate

    def penalty_grad(self, param):
        """The gradient of the penalty (without ``rate``)."""
        raise NotImplementedError

    def __call__(self, rule, param):
        if param.grad is None:
            return
        with torch.no_grad():
            param.grad.add_(self.penalty_grad(param), alpha=self.rate)
