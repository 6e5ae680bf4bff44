"""Chainer's reporter: how links, the updater and extensions publish values.

A :class:`Reporter` holds ``observation``, a dict from names to observed
values.  Code anywhere (a link's ``forward``, a loss function) calls
:func:`report`; the value lands in the observation of the *current*
reporter, under a name prefixed by the observer's registered name::

    reporter = Reporter()
    reporter.add_observer('main', model)
    observation = {}
    with reporter.scope(observation):
        chainvision.report({'loss': loss}, model)   # observation['main/loss']

Tensors are stored detached (unless ``config.keep_graph_on_report``), and
they stay tensors on their device: :class:`Summary` sums them with tensor
ops and converts to Python numbers only when a mean is asked for, so a
training step never waits for the GPU just to log.
"""

import collections
import contextlib
import functools
import json
import math
import threading
import warnings

import numpy
import torch

from chainvision.configuration import config

_thread_local = threading.local()


def _detach(value):
    if isinstance(value, torch.Tensor) and value.requires_grad:
        return value.detach()
    return value


class Reporter:
    """Collects observed values into the dict ``observation``.

    Observers (any objects, usually links) are told apart by ``id``; a value
    reported with an observer is stored as ``'<observer name>/<key>'``.
    ``with reporter:`` makes the reporter current (for :func:`report`);
    :meth:`scope` also swaps in a fresh ``observation`` dict.
    """

    def __init__(self):
        self._observer_names = {}
        self.observation = {}

    def __enter__(self):
        _get_reporters().append(self)

    def __exit__(self, exc_type, exc_value, traceback):
        _get_reporters().pop()

    @contextlib.contextmanager
    def scope(self, observation):
        """Make this reporter current and write reports into the dict
        ``observation`` until the ``with`` block ends."""
        old = self.observation
        self.observation = observation
        self.__enter__()
        try:
            yield
        finally:
            self.__exit__(None, None, None)
            self.observation = old

    def add_observer(self, name, observer):
        """Register ``observer`` under ``name`` (the prefix of its values)."""
        self._observer_names[id(observer)] = name

    def add_observers(self, prefix, observers):
        """Register several ``(name, observer)`` pairs, each under
        ``prefix + name`` (e.g. ``add_observers('main', model.namedlinks())``
        gives ``'main/'``, ``'main/conv1'``...)."""
        for name, observer in observers:
            self._observer_names[id(observer)] = prefix + name

    def report(self, values, observer=None):
        """Write the dict ``values`` into ``observation``.

        Args:
            values (dict): name -> value (tensor, array or number).  Tensors
                are detached unless ``config.keep_graph_on_report`` is set.
            observer: a registered observer; its name prefixes every key.

        Raises:
            KeyError: if ``observer`` was never registered.
        """
        if not config.keep_graph_on_report:
            values = {key: _detach(value) for key, value in values.items()}
        if observer is None:
            self.observation.update(values)
            return
        name = self._observer_names.get(id(observer))
        if name is None:
            raise KeyError(
                'The observer {!r} is not registered to the reporter: register it with '
                'reporter.add_observer(name, observer) first.'.format(type(observer).__name__))
        for key, value in values.items():
            self.observation['{}/{}'.format(name, key)] = value


def _get_reporters():
    if not hasattr(_thread_local, 'reporters'):
        _thread_local.reporters = []
    return _thread_local.reporters


def get_current_reporter():
    """Return the current reporter (the innermost ``with reporter:``).

    Raises:
        RuntimeError: if no reporter is current (Chainer raises IndexError).
    """
    reporters = _get_reporters()
    if not reporters:
        raise RuntimeError(
            'No reporter is current: enter one with `with reporter:` or '
            '`with reporter.scope(observation):` first.')
    return reporters[-1]


def report(values, observer=None):
    """Report ``values`` to the current reporter (see :meth:`Reporter.report`).

    Does nothing when no reporter is current, so links that report can run
    outside a trainer.
    """
    reporters = _get_reporters()
    if reporters:
        reporters[-1].report(values, observer)


@contextlib.contextmanager
def report_scope(observation):
    """Send the current reporter's reports to the dict ``observation``
    within the ``with`` block (the reporter stays the same)."""
    current = get_current_reporter()
    old = current.observation
    current.observation = observation
    try:
        yield
    finally:
        current.observation = old


def _to_host(value):
    # The single point where accumulated tensors are read back from the device.
    if isinstance(value, torch.Tensor):
        return value.item() if value.ndim == 0 else value.cpu().numpy()
    return value


class Summary:
    """Running weighted mean and standard deviation of a series of values.

    Values are numbers, NumPy arrays or tensors (scalars or arrays of one
    shape).  Tensors are summed on their own device without synchronizing;
    :meth:`compute_mean` and :meth:`make_statistics` return Python floats
    for scalar series and NumPy arrays for array series.
    """

    # Tensors are kept as added and summed in one batch when a statistic is
    # asked for (or every FOLD_EVERY of them, to bound the memory): the six
    # tensor operations of a running sum per value and iteration cost a small
    # model's training loop more than all the rest of the trainer's work.
    FOLD_EVERY = 1024

    def __init__(self):
        self._x = 0.0
        self._x2 = 0.0
        self._n = 0
        self._pending = []

    def add(self, value, weight=1):
        """Add ``value`` with ``weight`` (a number or a 0-dim array, default 1)."""
        value, weight = _detach(value), _detach(weight)
        if isinstance(value, torch.Tensor):
            self._pending.append((value, weight))
            if len(self._pending) >= self.FOLD_EVERY:
                self._fold()
            return
        self._x = self._x + weight * value
        self._x2 = self._x2 + weight * value * value
        self._n = self._n + weight

    def _fold(self):
        # Add the pending tensors to the running sums with a few batched ops.
        pending, self._pending = self._pending, []
        if not pending:
            return
        dtype = functools.reduce(torch.promote_types, (value.dtype for value, _ in pending))
        if dtype.is_floating_point:
            # At least float32: a bf16 sum of an epoch's accuracies near 300
            # has a resolution of 2.
            dtype = torch.promote_types(dtype, torch.float32)
        values = torch.stack([value.to(dtype) for value, _ in pending])
        weights = [weight for _, weight in pending]
        if all(isinstance(w, (int, float)) and w == 1 for w in weights):   # the usual case
            weighted, total = values, len(weights)
        else:
            w = torch.stack([torch.as_tensor(w, device=values.device) for w in weights])
            w = w.to(dtype).reshape((-1,) + (1,) * (values.ndim - 1))
            weighted, total = w * values, w.sum()
        self._x = self._x + weighted.sum(0)
        self._x2 = self._x2 + (weighted * values).sum(0)
        self._n = self._n + total

    def compute_mean(self):
        """The weighted mean of the values added so far."""
        self._fold()
        return _to_host(self._x / self._n)

    def make_statistics(self):
        """Return ``(mean, std)`` of the values added so far.

        A variance that rounding makes slightly negative is taken as 0
        (Chainer would return NaN).
        """
        self._fold()
        mean = _to_host(self._x / self._n)
        var = _to_host(self._x2 / self._n) - mean * mean
        if isinstance(var, numpy.ndarray):
            return mean, numpy.sqrt(numpy.maximum(var, 0))
        return mean, math.sqrt(max(var, 0.0))

    def serialize(self, serializer):
        """Save or load the running sums (``_x``, ``_x2``, ``_n``) through a
        Chainer-style serializer; missing entries only warn."""
        self._fold()
        try:
            self._x = serializer('_x', _to_host(self._x))
            self._x2 = serializer('_x2', _to_host(self._x2))
            self._n = serializer('_n', _to_host(self._n))
        except KeyError:
            warnings.warn('The previous statistics are not saved.')


def _is_scalar(value):
    return numpy.isscalar(value) or getattr(value, 'ndim', -1) == 0


class DictSummary:
    """A :class:`Summary` per key of a series of dicts (what ``LogReport``
    averages).

    Only scalar entries (numbers, 0-dim arrays or tensors) are summarized;
    others are skipped.  An entry ``(value, weight)`` adds ``value`` with
    that weight.
    """

    def __init__(self):
        self._summaries = collections.defaultdict(Summary)

    def add(self, d):
        """Add each scalar entry of the dict ``d`` to its key's summary.

        Raises:
            ValueError: if a ``(value, weight)`` entry has a non-scalar weight.
        """
        for key, value in d.items():
            weight = 1
            if isinstance(value, tuple):
                value, weight = value
                if not _is_scalar(weight):
                    raise ValueError('The weight given to {!r} must be a scalar, got shape {}.'
                                     .format(key, getattr(weight, 'shape', None)))
            if _is_scalar(value):
                self._summaries[key].add(value, weight=weight)

    def compute_mean(self):
        """Return ``{key: mean}`` (Python floats)."""
        return {key: summary.compute_mean() for key, summary in self._summaries.items()}

    def make_statistics(self):
        """Return ``{key: mean, key + '.std': std}`` for every key."""
        stats = {}
        for key, summary in self._summaries.items():
            stats[key], stats[key + '.std'] = summary.make_statistics()
        return stats

    def serialize(self, serializer):
        """Save or load every key's summary: the key names as JSON under
        ``_names``, each summary under ``_summaries/<index>``."""
        from chainvision.serializer import Serializer
        if isinstance(serializer, Serializer):
            names = list(self._summaries)
            serializer('_names', json.dumps(names))
            for index, name in enumerate(names):
                self._summaries[name].serialize(serializer['_summaries'][str(index)])
            return
        self._summaries.clear()
        try:
            names = json.loads(serializer('_names', ''))
        except KeyError:
            warnings.warn('The names of statistics are not saved.')
            return
        for index, name in enumerate(names):
            self._summaries[name].serialize(serializer['_summaries'][str(index)])
