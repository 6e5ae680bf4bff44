"""Turning trigger specifications into triggers."""

from chainvision.training.triggers.interval_trigger import IntervalTrigger


def get_trigger(trigger):
    """Return a trigger: a callable is returned as is, ``None`` gives one
    that never fires, and a tuple ``(period, unit)`` an
    :class:`~chainvision.training.triggers.IntervalTrigger`."""
    if callable(trigger):
        return trigger
    if trigger is None:
        return _never_fire_trigger
    if not isinstance(trigger, (tuple, list)) or len(trigger) != 2:
        raise ValueError("a trigger must be a callable, None or a (period, unit) pair such as "
                         "(1, 'epoch'), got {!r}".format(trigger))
    return IntervalTrigger(*trigger)


def _never_fire_trigger(trainer):
    return False
