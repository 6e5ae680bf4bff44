"""Ramp a hyperparameter up linearly during the first calls."""

from chainvision.training.extensions._shift import ValueShift


class WarmupShift(ValueShift):
    """``optimizer.<attr>`` goes linearly from ``warmup_start`` to ``init``
    over ``warmup_iter`` calls, then is left alone (so another schedule can
    take over).

    Args:
        attr (str): the hyperparameter.
        warmup_start (float or None): the first value (``None``: the
            optimizer's).
        warmup_iter (int): the length of the ramp in calls.
        init (float): the value reached at the end of the ramp.
        optimizer: default: the updater's ``'main'`` optimizer.
    """

    def __init__(self, attr, warmup_start, warmup_iter, init, optimizer=None):
        super().__init__(attr, optimizer, init)
        self._warmup_start = warmup_start
        self._warmup_iter = warmup_iter

    def resolve_init(self, optimizer):
        if self._warmup_start is None:
            self._warmup_start = getattr(optimizer, self._attr)

    def value_at(self, t):
        if t > self._warmup_iter:
            return None
        if t == 0:  # exactly ``warmup_start``, as Chainer sets it
            return self._warmup_start
        return (t * self._init + (self._warmup_iter - t) * self._warmup_start) / self._warmup_iter

    def initialize(self, trainer):
        if self._t > self._warmup_iter:
            return
        super().initialize(trainer)
