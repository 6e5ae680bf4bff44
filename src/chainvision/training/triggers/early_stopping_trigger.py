"""Stop training when a monitored value stops improving."""

import operator
import warnings

from chainvision import reporter
from chainvision.training import util


class EarlyStoppingTrigger:
    """A stop trigger: fires when ``monitor`` has not improved for
    ``patience`` checks, or when ``max_trigger`` fires.

    Args:
        check_trigger: how often to check (default ``(1, 'epoch')``).
        monitor (str): the observed value (default ``'main/loss'``).
        patience (int): checks without improvement tolerated (default 3).
        mode (str): ``'max'``, ``'min'`` or ``'auto'`` (max for keys
            containing ``'accuracy'``, else min).
        verbose (bool): print when stopping.
        max_trigger: the longest training (default ``(100, 'epoch')``).

    Unlike Chainer's, its state (best value, count) is saved in snapshots,
    so a resumed run stops when the uninterrupted one would.
    """

    def __init__(self, check_trigger=(1, 'epoch'), monitor='main/loss', patience=3, mode='auto',
                 verbose=False, max_trigger=(100, 'epoch')):
        if mode not in ('auto', 'max', 'min'):
            raise ValueError("mode must be 'auto', 'max' or 'min', got {!r}".format(mode))
        self.count = 0
        self.patience = patience
        self.monitor = monitor
        self.verbose = verbose
        self._max_trigger = util.get_trigger(max_trigger)
        self._interval_trigger = util.get_trigger(check_trigger)
        self._summary = reporter.DictSummary()
        maximize = mode == 'max' or (mode == 'auto' and 'accuracy' in monitor)
        self._compare = operator.gt if maximize else operator.lt
        self.best = float('-inf') if maximize else float('inf')

    def __call__(self, trainer):
        observation = trainer.observation
        if self.monitor in observation:
            self._summary.add({self.monitor: observation[self.monitor]})
        if self._max_trigger(trainer):
            return True
        if not self._interval_trigger(trainer):
            return False
        if self.monitor not in observation:
            warnings.warn('{} is not in observation'.format(self.monitor))
            return False
        current = float(self._summary.compute_mean()[self.monitor])
        self._summary = reporter.DictSummary()
        if self._compare(current, self.best):
            self.best = current
            self.count = 0
        else:
            self.count += 1
        if self.count >= self.patience:
            if self.verbose:
                print('Epoch {}: early stopping'.format(trainer.updater.epoch))
            return True
        return False

    def get_training_length(self):
        """The ``max_trigger``'s ``(period, unit)``."""
        return self._max_trigger.get_training_length()

    def serialize(self, serializer):
        """Save or load the count, the best value, the summary and the
        inner triggers (a Chainer snapshot has none of them: then only a
        warning)."""
        try:
            self.count = serializer('count', self.count)
            self.best = serializer('best', self.best)
        except KeyError:
            warnings.warn('The state of EarlyStoppingTrigger is not saved (a Chainer snapshot): '
                          'patience counting starts again.')
            return
        self._summary.serialize(serializer['summary'])
        for name, trigger in (('max_trigger', self._max_trigger),
                              ('interval_trigger', self._interval_trigger)):
            if hasattr(trigger, 'serialize'):
                trigger.serialize(serializer[name])
