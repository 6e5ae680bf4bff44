"""Fire at given iterations or epochs."""

import warnings

from chainvision.training.triggers._progress import PreviousPosition, check_unit


class ManualScheduleTrigger:
    """Fires when the training passes one of ``points`` (in ``unit``s).

    Args:
        points (int, float or list): when to fire.
        unit (str): ``'epoch'`` or ``'iteration'``.

    ``finished`` becomes true after the last point (the trainer then skips
    the extension's ``initialize``).
    """

    def __init__(self, points, unit):
        check_unit(unit)
        self.points = points if isinstance(points, list) else [points]
        self.unit = unit
        self.finished = False
        self._previous = PreviousPosition()

    def __call__(self, trainer):
        previous, current = self._previous.interval(trainer.updater, self.unit)
        fire = any(previous < point <= current for point in self.points)
        if current >= max(self.points):
            self.finished = True
        return fire

    def serialize(self, serializer):
        """Save or load the previous position and ``finished``."""
        self._previous.serialize(serializer)
        try:
            self.finished = serializer('finished', self.finished)
        except KeyError:
            warnings.warn('The finished flag of ManualScheduleTrigger is not saved; it is '
                          'recomputed at the next call.')
            self.finished = False
