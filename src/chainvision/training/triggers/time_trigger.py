"""Fire at a fixed interval of training time."""


class TimeTrigger:
    """Fires at the first iteration after each ``period`` seconds of
    training time (``trainer.elapsed_time``, which counts the time before a
    resume too).

    Args:
        period (float): the interval in seconds.
    """

    def __init__(self, period):
        self._period = period
        self._next_time = period

    def __call__(self, trainer):
        if self._next_time < trainer.elapsed_time:
            self._next_time += self._period
            return True
        return False

    def serialize(self, serializer):
        """Save or load when it fires next."""
        self._next_time = serializer('next_time', self._next_time)
