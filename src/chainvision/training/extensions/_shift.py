"""The one base of every hyperparameter schedule (``*Shift`` extension)."""

import numpy

from chainvision.training import extension


class ValueShift(extension.Extension):
    """Sets ``optimizer.<attr>`` to ``value_at(t)`` after each call, ``t``
    counting the calls; ``value_at`` returning ``None`` leaves it alone.

    A schedule is a subclass that defines ``value_at(t)``, a function of the
    call count alone, so its whole state is ``t`` and the last value set.
    ``initialize`` sets the value for the coming iteration: the last one set
    (when resuming from a snapshot) or ``value_at(t)``.  Chainer's
    ``MultistepShift`` and ``WarmupShift`` reset the value to ``init`` on a
    resume until their next call; here every schedule resumes exactly.

    Args:
        attr (str): the hyperparameter, e.g. ``'lr'`` (``'alpha'`` or
            ``'eta'`` for Adam).
        optimizer: default: the updater's ``'main'`` optimizer.
        init (float or None): the start value (``None``: the optimizer's
            value when the trainer starts).

    Snapshot keys: ``_t`` and ``_last_value`` (plus a subclass's extras).
    """

    def __init__(self, attr, optimizer=None, init=None):
        self._attr = attr
        self._optimizer = optimizer
        self._init = init
        self._t = 0
        self._last_value = None

    def _get_optimizer(self, trainer):
        return self._optimizer or trainer.updater.get_optimizer('main')

    def resolve_init(self, optimizer):
        """Take the start value ``init`` from the optimizer if not given."""
        if self._init is None:
            self._init = getattr(optimizer, self._attr)

    def value_at(self, t):
        """The value after ``t`` calls, or ``None`` to leave it unchanged."""
        raise NotImplementedError

    def initialize(self, trainer):
        """Set the value for the coming iteration (see the class docstring)."""
        optimizer = self._get_optimizer(trainer)
        self.resolve_init(optimizer)
        value = self._last_value if self._last_value is not None else self.value_at(self._t)
        self._update_value(optimizer, value)

    def __call__(self, trainer):
        self._t += 1
        self._update_value(self._get_optimizer(trainer), self.value_at(self._t))

    def _update_value(self, optimizer, value):
        if value is not None:
            setattr(optimizer, self._attr, value)
            self._last_value = value

    def serialize(self, serializer):
        """Save or load ``_t`` and ``_last_value``."""
        self._t = serializer('_t', self._t)
        try:
            self._last_value = serializer('_last_value', self._last_value)
        except KeyError:  # a Chainer snapshot of a schedule that does not save it
            self._last_value = None
        if isinstance(self._last_value, numpy.ndarray):
            self._last_value = self._last_value.item()


def stop_at_target(value, target, growing):
    """``value``, or ``target`` once ``value`` has passed it (from below if
    ``growing``).  As Chainer, compares ``value / target`` with 1, so the
    rule holds for negative values too."""
    if target is None:
        return value
    ratio = value / target
    return target if (ratio > 1 if growing else ratio < 1) else value
