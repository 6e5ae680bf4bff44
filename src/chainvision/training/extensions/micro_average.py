"""Report a ratio of sums (e.g. accuracy over all examples, not batches)."""

from chainvision import reporter
from chainvision.training import extension
from chainvision.training import util


class MicroAverage(extension.Extension):
    """Report ``sum(numerator) / sum(denominator)`` over each ``trigger``
    interval as ``result_key`` (e.g. correct predictions / examples, so
    batches of different sizes weigh by their size).

    Args:
        numerator_key (str): observation key summed above the line.
        denominator_key (str): observation key summed below the line.
        result_key (str): the key reported.
        trigger: the interval (default ``(1, 'epoch')``).
    """

    priority = extension.PRIORITY_EDITOR

    def __init__(self, numerator_key, denominator_key, result_key, trigger=(1, 'epoch')):
        self._trigger = util.get_trigger(trigger)
        self._numerator_key = numerator_key
        self._denominator_key = denominator_key
        self._result_key = result_key
        self._numerator = 0
        self._denominator = 0

    def __call__(self, trainer):
        observation = trainer.observation
        if self._numerator_key not in observation or self._denominator_key not in observation:
            return
        self._numerator += observation[self._numerator_key]
        self._denominator += observation[self._denominator_key]
        if self._trigger(trainer):
            result = float(self._numerator) / float(self._denominator)
            self._numerator = 0
            self._denominator = 0
            reporter.report({self._result_key: result})

    def serialize(self, serializer):
        """Save or load the running sums."""
        self._numerator = serializer('_numerator', _to_number(self._numerator))
        self._denominator = serializer('_denominator', _to_number(self._denominator))


def _to_number(value):
    return value.item() if hasattr(value, 'item') else value
