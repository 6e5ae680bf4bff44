"""What the schedules over a run of known length share (:class:`CosineShift`,
:class:`OneCycleShift`, :class:`MilestoneShift`): the run length and a
warm-up that composes with any of them."""

from chainvision.training import extension
from chainvision.training.extensions._shift import ValueShift


class Warmup:
    """A warm-up over the first ``iterations`` calls, applied to the value
    of any schedule: ``'linear'`` goes from ``factor * value`` up to the
    value (Goyal et al. 2017), ``'constant'`` holds ``factor * value``
    (He et al. 2016 train ResNet-110 at 0.1 x the rate for 400 iterations).

    Args:
        iterations (int): warm-up length (0: none).
        mode (str): ``'linear'`` or ``'constant'``.
        factor (float): warm-up start (linear) or level (constant), as a
            fraction of the scheduled value.
    """

    def __init__(self, iterations=0, mode='linear', factor=0.1):
        if mode not in ('linear', 'constant'):
            raise ValueError("warmup_mode must be 'linear' or 'constant', got {!r}.".format(mode))
        self.iterations = iterations
        self.mode = mode
        self.factor = factor

    def __call__(self, t, value):
        """``value``, the scheduled value after ``t`` calls, warmed up."""
        if t >= self.iterations:
            return value
        if self.mode == 'constant':
            return value * self.factor
        progress = t / self.iterations
        return value * (self.factor + (1. - self.factor) * progress)


class RunLengthShift(ValueShift):
    """A schedule over ``total_iterations`` calls, one per iteration: sets
    ``optimizer.<attr>`` to ``warmup(t, scheduled(t))`` before every update,
    ``t`` stopping at ``total_iterations - 1`` (subclasses define
    ``scheduled``, the value without warm-up).

    Runs before the other extensions of an iteration (``PRIORITY_WRITER``),
    so what they observe is the value of the coming update.  Not in
    Chainer; a snapshot holds ``_t`` and ``_last_value`` as Chainer's shifts.

    Args:
        attr (str): the hyperparameter, e.g. ``'lr'`` (``'eta'`` or
            ``'alpha'`` for Adam).
        base (float): the value the schedule scales (its peak), kept as
            ``init``.
        total_iterations (int): length of the run.
        warmup (Warmup or None): a warm-up (``None``: none).
        optimizer: default: the updater's ``'main'`` optimizer.
    """

    trigger = 1, 'iteration'
    priority = extension.PRIORITY_WRITER

    def __init__(self, attr, base, total_iterations, warmup=None, optimizer=None):
        if total_iterations < 1:
            raise ValueError('total_iterations must be positive, got {}.'.format(
                total_iterations))
        super().__init__(attr, optimizer, base)
        self.total_iterations = total_iterations
        self.warmup = warmup or Warmup()

    def scheduled(self, t):
        """The value after ``t`` calls (0 <= t < total_iterations) before
        the warm-up."""
        raise NotImplementedError

    def value_at(self, t):
        t = min(t, self.total_iterations - 1)
        return self.warmup(t, self.scheduled(t))
