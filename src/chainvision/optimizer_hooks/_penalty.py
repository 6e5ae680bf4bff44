"""What the regularization hooks share: add a penalty's gradient."""

import torch


class GradientPenalty:
    """Per-parameter hook adding ``rate * penalty_grad(param)`` to the
    gradient before the update (timing ``'pre'``).  An optimizer calls
    :meth:`call_for_params` instead, for all its parameters at once."""

    call_for_each_param = True
    timing = 'pre'

    def __init__(self, rate):
        self.rate = rate

    def penalty_grad(self, param):
        """The gradient of the penalty (without ``rate``)."""
        raise NotImplementedError

    def penalty_grads(self, params):
        """:meth:`penalty_grad` of each of ``params`` (a list)."""
        return [self.penalty_grad(param) for param in params]

    def call_for_params(self, params):
        """The hook on every parameter of ``params`` that has a gradient,
        with one multi-tensor addition (the same values as calling it per
        parameter)."""
        params = [param for param in params if param.grad is not None]
        if params:
            with torch.no_grad():
                torch._foreach_add_([param.grad for param in params],
                                    self.penalty_grads(params), alpha=self.rate)

    def __call__(self, rule, param):
        if param.grad is None:
            return
        with torch.no_grad():
            param.grad.add_(self.penalty_grad(param), alpha=self.rate)
