"""The one-cycle policy (Smith and Topin 2019, "Super-convergence")."""

import math

from chainvision.training.extensions._run_length_shift import RunLengthShift


class OneCycleShift(RunLengthShift):
    """Raise ``optimizer.<attr>`` from ``base / div_factor`` to ``base``
    over the first ``peak_fraction`` of the run, then anneal it to ``base /
    (div_factor * final_div_factor)``, both halves along a cosine (the
    shape of ``torch.optim.lr_scheduler.OneCycleLR`` with its defaults,
    momentum cycling aside; the rise is its warm-up).  Not in Chainer.

    Args:
        attr, base, total_iterations, optimizer: see :class:`RunLengthShift`
            (``base`` is the peak).
        peak_fraction (float): where the peak is, as a fraction of the run
            (0.25).
        div_factor (float): start value = ``base / div_factor`` (25).
        final_div_factor (float): end value = start / this (1e4).
    """

    def __init__(self, attr, base, total_iterations, peak_fraction=0.25, div_factor=25.,
                 final_div_factor=1e4, optimizer=None):
        super().__init__(attr, base, total_iterations, optimizer=optimizer)
        self.peak_fraction = peak_fraction
        self.div_factor = div_factor
        self.final_div_factor = final_div_factor

    def scheduled(self, t):
        start = 1. / self.div_factor
        end = start / self.final_div_factor
        peak = max(1., self.peak_fraction * self.total_iterations)
        if t < peak:
            return self._init * _cosine_between(start, 1., t / peak)
        rest = max(1., self.total_iterations - 1 - peak)
        return self._init * _cosine_between(1., end, min(1., (t - peak) / rest))


def _cosine_between(start, stop, progress):
    return stop + (start - stop) * (1. + math.cos(math.pi * progress)) / 2.
