"""Cosine annealing of a hyperparameter (Loshchilov and Hutter 2017,
SGDR without restarts)."""

import math

from chainvision.training.extensions._run_length_shift import RunLengthShift, Warmup


class CosineShift(RunLengthShift):
    """Anneal ``optimizer.<attr>`` from ``base`` to ``base * final_factor``
    along half a cosine over ``total_iterations``::

        value(t) = base * (f + (1 - f) * (1 + cos(pi * t / total)) / 2)

    with an optional :class:`Warmup` on top.  Not in Chainer.

    Args:
        attr, base, total_iterations, optimizer: see :class:`RunLengthShift`.
        final_factor (float): the end value as a fraction of ``base`` (0).
        warmup_iterations, warmup_mode, warmup_factor: the :class:`Warmup`
            (``iterations``, ``mode``, ``factor``); none by default.
    """

    def __init__(self, attr, base, total_iterations, final_factor=0., warmup_iterations=0,
                 warmup_mode='linear', warmup_factor=0.1, optimizer=None):
        super().__init__(attr, base, total_iterations,
                         Warmup(warmup_iterations, warmup_mode, warmup_factor), optimizer)
        self.final_factor = final_factor

    def scheduled(self, t):
        cosine = (1. + math.cos(math.pi * t / self.total_iterations)) / 2.
        return self._init * (self.final_factor + (1. - self.final_factor) * cosine)
