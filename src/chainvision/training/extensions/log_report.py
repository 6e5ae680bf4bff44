"""Average the observations over an interval and keep them as a JSON log."""

import json
import os
import warnings

from chainvision import reporter
from chainvision import serializer as serializer_module
from chainvision.utils.atomic import atomic_write
from chainvision.training import extension
from chainvision.training import util


class LogReport(extension.Extension):
    """Average the observed values over each ``trigger`` interval and append
    the means, with ``epoch``, ``iteration`` and ``elapsed_time``, to
    :attr:`log`, written to ``<out>/<filename>`` as a JSON list (atomically).

    Args:
        keys (list or None): the observation keys to average (``None``:
            every scalar one).
        trigger: the interval (default ``(1, 'epoch')``).
        postprocess (callable): called with each new entry (a dict) before
            it is stored.
        filename (str): the log file name (default ``'log'``; may use
            ``{epoch}``-style fields of the entry); Chainer's older spelling
            ``log_name`` is accepted too, and ``log_name=None`` keeps the
            log in memory only.
    """

    def __init__(self, keys=None, trigger=(1, 'epoch'), postprocess=None, filename=None,
                 log_name='log'):
        self._keys = keys
        self._trigger = util.get_trigger(trigger)
        self._postprocess = postprocess
        self._log = []
        self._log_name = filename or log_name
        self._summary = reporter.DictSummary()

    def __call__(self, trainer):
        observation = trainer.observation
        if self._keys is None:
            self._summary.add(observation)
        else:
            self._summary.add({k: observation[k] for k in self._keys if k in observation})
        if not (trainer.is_before_training or self._trigger(trainer)):
            return
        entry = {name: float(value) for name, value in self._summary.compute_mean().items()}
        entry['epoch'] = trainer.updater.epoch
        entry['iteration'] = trainer.updater.iteration
        entry['elapsed_time'] = trainer.elapsed_time
        if self._postprocess is not None:
            self._postprocess(entry)
        self._log.append(entry)
        if self._log_name is not None:
            path = os.path.join(trainer.out, self._log_name.format(**entry))
            with atomic_write(path, 'w') as stream:
                json.dump(self._log, stream, indent=4)
        self._summary = reporter.DictSummary()

    @property
    def log(self):
        """The list of entries so far (dicts of floats)."""
        return self._log

    def serialize(self, serializer):
        """Save or load the trigger, the running summary and the log (as a
        JSON string, Chainer's layout)."""
        if hasattr(self._trigger, 'serialize'):
            self._trigger.serialize(serializer['_trigger'])
        try:
            self._summary.serialize(serializer['_summary'])
        except KeyError:
            warnings.warn('The statistics are not saved.')
        if isinstance(serializer, serializer_module.Serializer):
            serializer('_log', json.dumps(self._log))
        else:
            self._log = json.loads(serializer('_log', ''))
