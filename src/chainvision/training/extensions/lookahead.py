"""Lookahead: the weights pulled back to a slow exponential moving average."""

import torch

from chainvision.link import chainer_path
from chainvision.training import extension


class Lookahead(extension.Extension):
    """Every ``interval`` iterations, move a slow copy of the weights towards
    the trained ("fast") ones and put the trained ones back on it (Zhang et
    al. 2019, "Lookahead Optimizer: k steps forward, 1 step back",
    arXiv:1907.08610)::

        slow = decay_t * slow + (1 - decay_t) * fast      (an EMA step)
        fast = slow

    with airbench94's schedule ``decay_t = decay * (t / total) ** power``:
    no averaging at first, strong averaging at the end, where it gains the
    most.  At iteration ``total`` the network takes the slow weights as they
    are (``decay_t = 1``).  Every floating-point entry of the target's
    ``state_dict`` is averaged, BatchNorm's running statistics included.

    Args:
        target (torch.nn.Module): the network whose weights are averaged.
        total (int): the run's length in iterations.
        interval (int): iterations between averaging steps (default 5).
        decay (float): ``decay_t`` at the end of the run (default ``0.95 **
            5``, airbench94's: 0.95 per iteration).
        power (float): the schedule's exponent (default 3).

    Trigger: every iteration (it counts itself); priority ``EDITOR``, so the
    evaluators and snapshots of an iteration see the averaged weights.
    Snapshot keys: ``slow/<state_dict key with / for .>``.
    """

    trigger = 1, 'iteration'
    priority = extension.PRIORITY_EDITOR

    def __init__(self, target, total, interval=5, decay=0.95 ** 5, power=3.):
        if interval < 1 or total < 1:
            raise ValueError('Lookahead needs interval >= 1 and total >= 1, got {} and {}.'
                             .format(interval, total))
        self.target = target
        self.total = total
        self.interval = interval
        self.decay = decay
        self.power = power
        self.slow = None

    def decay_at(self, iteration):
        """``decay_t`` of the averaging step after ``iteration`` updates."""
        if iteration >= self.total:
            return 1.
        return self.decay * (iteration / self.total) ** self.power

    def _averaged(self):
        return {key: value for key, value in self.target.state_dict().items()
                if value.is_floating_point()}

    def _start_slow_weights(self):
        if self.slow is None:
            self.slow = {key: value.detach().clone() for key, value in self._averaged().items()}

    def initialize(self, trainer):
        """Start the slow weights from the network's (unless a snapshot
        already restored them)."""
        self._start_slow_weights()

    def __call__(self, trainer):
        iteration = trainer.updater.iteration
        if iteration % self.interval and iteration < self.total:
            return
        self.step(self.decay_at(iteration))

    @torch.no_grad()
    def step(self, decay):
        """One averaging step with ``decay``, then the network takes the
        slow weights."""
        for key, fast in self._averaged().items():
            slow = self.slow[key]
            slow.lerp_(fast, 1. - decay)
            fast.copy_(slow)

    def serialize(self, serializer):
        """Save or restore (in place) the slow weights."""
        self._start_slow_weights()
        for key, slow in self.slow.items():
            serializer('slow' + chainer_path(key), slow)
