"""Shared machinery of the schedule extensions that compute a
hyperparameter from the iteration count alone (:class:`CosineShift`,
:class:`OneCycleShift`, :class:`MilestoneShift`).

Being functions of ``trainer.updater.iteration`` with no counter of their
own, they need no state in a snapshot: a resumed run sets exactly the
values an uninterrupted run would.  Each supports a warm-up over the first
``warmup_iterations`` updates, ``'linear'`` (from ``warmup_factor *
value`` up to the value, the Goyal et al. 2017 form) or ``'constant'``
(``warmup_factor * value`` throughout, He et al. 2016's ResNet-110 form).
"""

from chainvision.training import extension


class IterationScheduleShift(extension.Extension):
    """Set ``optimizer.<attr>`` to ``base * factor(iteration)`` before every
    update (subclasses define ``factor``).

    Args:
        attr (str): the hyperparameter, e.g. ``'lr'`` (``'eta'`` or
            ``'alpha'`` for Adam).
        base (float): the value the factors multiply (the peak value).
        total_iterations (int): length of the run.
        warmup_iterations (int): warm-up length (0: none).
        warmup_mode (str): ``'linear'`` or ``'constant'``.
        warmup_factor (float): warm-up start (linear) or level (constant),
            as a fraction of the scheduled value.
        optimizer: the optimizer (default the updater's ``'main'``).
    """

    trigger = 1, 'iteration'
    priority = extension.PRIORITY_WRITER

    def __init__(self, attr, base, total_iterations, warmup_iterations=0, warmup_mode='linear',
                 warmup_factor=0.1, optimizer=None):
        if warmup_mode not in ('linear', 'constant'):
            raise ValueError("warmup_mode must be 'linear' or 'constant', got {!r}.".format(
                warmup_mode))
        if total_iterations < 1:
            raise ValueError('total_iterations must be positive, got {}.'.format(
                total_iterations))
        self.attr = attr
        self.base = base
        self.total_iterations = total_iterations
        self.warmup_iterations = warmup_iterations
        self.warmup_mode = warmup_mode
        self.warmup_factor = warmup_factor
        self._optimizer = optimizer

    def factor(self, iteration):
        """Multiplier of ``base`` for the update that follows ``iteration``
        completed ones (0 <= iteration < total_iterations)."""
        raise NotImplementedError

    def value(self, iteration):
        """The hyperparameter for the update after ``iteration`` completed
        updates, warm-up included."""
        value = self.base * self.factor(iteration)
        if iteration < self.warmup_iterations:
            if self.warmup_mode == 'constant':
                return value * self.warmup_factor
            progress = iteration / self.warmup_iterations
            return value * (self.warmup_factor + (1. - self.warmup_factor) * progress)
        return value

    def initialize(self, trainer):
        self._set(trainer)

    def __call__(self, trainer):
        # Called after update k; sets the value update k + 1 will use.
        self._set(trainer)

    def _set(self, trainer):
        optimizer = self._optimizer or trainer.updater.get_optimizer('main')
        iteration = min(trainer.updater.iteration, self.total_iterations - 1)
        setattr(optimizer, self.attr, self.value(iteration))
