"""Step decay at given iterations, with warm-up: :class:`MultistepShift`
composed with a :class:`Warmup`."""

from chainvision.training.extensions._run_length_shift import RunLengthShift, Warmup
from chainvision.training.extensions.multistep_shift import MultistepShift


class MilestoneShift(RunLengthShift):
    """Multiply ``optimizer.<attr>`` by ``gamma`` at each milestone, after
    an optional warm-up::

        value(t) = warmup(t, base * gamma ** (number of milestones <= t))

    (for distinct positive milestones).  The steps are Chainer's
    ``MultistepShift(attr, gamma, sorted(milestones), base)``, which
    computes them; the warm-up is a :class:`Warmup`.

    Args:
        attr, base, total_iterations, optimizer: see :class:`RunLengthShift`.
        milestones (sequence of int): iterations after which the value drops.
        gamma (float): the factor per milestone (0.1).
        warmup_iterations, warmup_mode, warmup_factor: the :class:`Warmup`
            (``iterations``, ``mode``, ``factor``); none by default.
    """

    def __init__(self, attr, base, total_iterations, milestones, gamma=0.1, warmup_iterations=0,
                 warmup_mode='linear', warmup_factor=0.1, optimizer=None):
        super().__init__(attr, base, total_iterations,
                         Warmup(warmup_iterations, warmup_mode, warmup_factor), optimizer)
        self._steps = MultistepShift(attr, gamma, sorted(int(m) for m in milestones), base)

    def scheduled(self, t):
        return self._steps.value_at(t)
