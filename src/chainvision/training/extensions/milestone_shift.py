"""Step decay at given iterations, with warm-up."""

import bisect

from chainvision.training.extensions._iteration_schedule import IterationScheduleShift


class MilestoneShift(IterationScheduleShift):
    """Multiply ``optimizer.<attr>`` by ``gamma`` at each milestone::

        value(i) = base * gamma ** (number of milestones <= i)

    The same values as Chainer's ``MultistepShift(attr, gamma, milestones,
    base)``, but computed from the iteration count (nothing to snapshot) and
    with the warm-up of :class:`IterationScheduleShift` (He et al. 2016
    train ResNet-110 at 0.1 x the rate for its first 400 iterations).

    Args:
        attr, base, total_iterations, warmup_iterations, warmup_mode,
            warmup_factor, optimizer: see :class:`IterationScheduleShift`.
        milestones (sequence of int): iterations after which the value drops.
        gamma (float): the factor per milestone (0.1).
    """

    def __init__(self, attr, base, total_iterations, milestones, gamma=0.1,
                 **warmup_and_optimizer):
        super().__init__(attr, base, total_iterations, **warmup_and_optimizer)
        self.milestones = sorted(int(m) for m in milestones)
        self.gamma = gamma

    def factor(self, iteration):
        return self.gamma ** bisect.bisect_right(self.milestones, iteration)
