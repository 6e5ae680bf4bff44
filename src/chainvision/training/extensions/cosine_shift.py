"""Cosine annealing of a hyperparameter (Loshchilov and Hutter 2017,
SGDR without restarts)."""

import math

from chainvision.training.extensions._iteration_schedule import IterationScheduleShift


class CosineShift(IterationScheduleShift):
    """Anneal ``optimizer.<attr>`` from ``base`` to ``base * final_factor``
    along half a cosine over ``total_iterations``::

        value(i) = base * (f + (1 - f) * (1 + cos(pi * i / total)) / 2)

    with the optional warm-up of :class:`IterationScheduleShift` on top.
    Not in Chainer; stateless, so snapshots need nothing from it.

    Args:
        attr, base, total_iterations, warmup_iterations, warmup_mode,
            warmup_factor, optimizer: see :class:`IterationScheduleShift`.
        final_factor (float): the end value as a fraction of ``base`` (0).
    """

    def __init__(self, attr, base, total_iterations, final_factor=0., **warmup_and_optimizer):
        super().__init__(attr, base, total_iterations, **warmup_and_optimizer)
        self.final_factor = final_factor

    def factor(self, iteration):
        cosine = (1. + math.cos(math.pi * iteration / self.total_iterations)) / 2.
        return self.final_factor + (1. - self.final_factor) * cosine
