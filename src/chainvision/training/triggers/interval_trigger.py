"""Fire every ``period`` iterations or epochs."""

from chainvision.training.triggers._progress import PreviousPosition, check_unit


class IntervalTrigger:
    """Fires each time the training crosses a multiple of ``period``
    ``unit``s (``'epoch'`` or ``'iteration'``); fractional epochs work.

    Args:
        period (int or float): length of the interval.
        unit (str): ``'epoch'`` or ``'iteration'``.
    """

    def __init__(self, period, unit):
        check_unit(unit)
        self.period = period
        self.unit = unit
        self.count = 0
        self._previous = PreviousPosition()

    def __call__(self, trainer):
        previous, current = self._previous.interval(trainer.updater, self.unit)
        if self.unit == 'epoch':
            self.count = current // self.period
        return previous // self.period != current // self.period

    def serialize(self, serializer):
        """Save or load the position of the previous call."""
        self._previous.serialize(serializer)

    def get_training_length(self):
        """``(period, unit)``: used by progress bars for the stop trigger."""
        return self.period, self.unit

    def __str__(self):
        return "{}({}, '{}')".format(type(self).__name__, self.period, self.unit)
