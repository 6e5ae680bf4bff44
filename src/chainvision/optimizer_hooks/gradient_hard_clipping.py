"""Clip every gradient element into ``[lower_bound, upper_bound]``."""

import torch


class GradientHardClipping:
    """Clamp each gradient element into ``[lower_bound, upper_bound]``
    (Chainer's ``GradientHardClipping``).

    Args:
        lower_bound (float): the smallest allowed value.
        upper_bound (float): the largest allowed value.

    Called per parameter as ``hook(rule, param)``; timing ``'pre'``.
    """

    name = 'GradientHardClipping'
    call_for_each_param = True
    timing = 'pre'

    def __init__(self, lower_bound, upper_bound):
        if lower_bound > upper_bound:
            raise ValueError('lower_bound ({}) must not exceed upper_bound ({})'.format(
                lower_bound, upper_bound))
        self.lower_bound = lower_bound
        self.upper_bound = upper_bound

    def __call__(self, rule, param):
        if param.grad is None:
            return
        with torch.no_grad():
            param.grad.clamp_(self.lower_bound, self.upper_bound)
