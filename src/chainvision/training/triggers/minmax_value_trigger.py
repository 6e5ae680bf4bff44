"""Fire when an observed value reaches a new best."""

import operator

from chainvision import reporter
from chainvision.training import util


class BestValueTrigger:
    """Fires when the mean of ``observation[key]`` over the last interval
    beats every earlier interval's mean, under ``compare(best, new)``.

    Args:
        key (str): the observed value, e.g. ``'validation/main/accuracy'``.
        compare (callable): ``compare(best_so_far, new) -> bool``.
        trigger: how often to check (default ``(1, 'epoch')``).
    """

    def __init__(self, key, compare, trigger=(1, 'epoch')):
        self._key = key
        self._best_value = None
        self._interval_trigger = util.get_trigger(trigger)
        self._summary = reporter.DictSummary()
        self._compare = compare

    def __call__(self, trainer):
        observation = trainer.observation
        if self._key in observation:
            self._summary.add({self._key: observation[self._key]})
        if not self._interval_trigger(trainer):
            return False
        stats = self._summary.compute_mean()
        self._summary = reporter.DictSummary()
        if self._key not in stats:
            raise KeyError('{!r} was not observed in this interval; observed keys: {}'.format(
                self._key, sorted(observation)))
        value = float(stats[self._key])
        if self._best_value is None or self._compare(self._best_value, value):
            self._best_value = value
            return True
        return False

    def serialize(self, serializer):
        """Save or load the interval trigger, the running summary and the
        best value (Chainer's keys)."""
        self._interval_trigger.serialize(serializer['interval_trigger'])
        self._summary.serialize(serializer['summary'])
        self._best_value = serializer('best_value', self._best_value)


class MaxValueTrigger(BestValueTrigger):
    """Fires when ``key``'s interval mean is the largest so far (e.g. to
    snapshot the best model by validation accuracy)."""

    def __init__(self, key, trigger=(1, 'epoch')):
        super().__init__(key, operator.lt, trigger)


class MinValueTrigger(BestValueTrigger):
    """Fires when ``key``'s interval mean is the smallest so far."""

    def __init__(self, key, trigger=(1, 'epoch')):
        super().__init__(key, operator.gt, trigger)
