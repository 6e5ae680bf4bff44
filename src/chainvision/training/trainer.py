"""The training loop: Chainer's ``Trainer``."""

import collections
import os
import sys
import time
import traceback

from chainvision import reporter as reporter_module
from chainvision import serializer as serializer_module
from chainvision.link import named_links
from chainvision.training import extension as extension_module
from chainvision.training import util
from chainvision.training._random_state import serialize_random_states


class _ExtensionEntry:
    def __init__(self, extension, priority, trigger, call_before_training):
        self.extension = extension
        self.trigger = trigger
        self.priority = priority
        self.call_before_training = call_before_training


class Trainer:
    """Runs the training loop: ``updater.update()`` until ``stop_trigger``
    fires, calling the extensions whose triggers fire after each update.

    Args:
        updater: e.g. a :class:`~chainvision.training.updaters.StandardUpdater`.
        stop_trigger: when to stop: ``(N, 'epoch')``, ``(N, 'iteration')``
            or a trigger object (``None``: never).
        out (str): the output folder (logs, snapshots), made if missing.
        extensions (list): extensions to add with their defaults.

    Each iteration runs inside ``reporter.scope(trainer.observation)``;
    every optimizer's target is an observer named after the optimizer
    (``'main'``), its sub-links ``'main/<path>'``.

    A snapshot of the trainer (``extensions.snapshot()``) holds the updater
    (model, optimizer state, iterator position, iteration), the stop
    trigger, every extension and trigger with state, the elapsed time, and,
    beyond Chainer, the Python/NumPy/PyTorch random states, so a resumed run
    continues exactly.  ``KeyboardInterrupt`` reaches the extensions'
    ``on_error`` as other errors do (Chainer passes only ``Exception``), so
    ``snapshot(snapshot_on_error=True)`` also saves on Ctrl-C.
    """

    def __init__(self, updater, stop_trigger=None, out='result', extensions=None):
        self.updater = updater
        self.stop_trigger = util.get_trigger(stop_trigger)
        self.observation = {}
        self.out = out
        self.reporter = reporter_module.Reporter()
        for name, optimizer in updater.get_all_optimizers().items():
            self.reporter.add_observer(name, optimizer.target)
            self.reporter.add_observers(name, named_links(optimizer.target, skipself=True))
        self._done = False
        self._extensions = collections.OrderedDict()
        self._start_at = None
        self._snapshot_elapsed_time = 0.0
        self._final_elapsed_time = None
        updater.connect_trainer(self)
        for ext in extensions or ():
            self.extend(ext)

    @property
    def is_before_training(self):
        """True until the first update."""
        return self.updater.iteration == 0

    @property
    def restored_elapsed_time(self):
        """Seconds of training restored from a snapshot on resume (0 for a
        run that started here): the training time of earlier processes."""
        return self._snapshot_elapsed_time

    @property
    def elapsed_time(self):
        """Seconds of training so far, including time before a resume (before
        ``run`` starts: the time restored from a snapshot)."""
        if self._done:
            return self._final_elapsed_time
        if self._start_at is None:
            return self._snapshot_elapsed_time
        return time.perf_counter() - self._start_at + self._snapshot_elapsed_time

    def extend(self, extension, name=None, trigger=None, priority=None, *,
               call_before_training=False):
        """Register an extension.

        Args:
            extension: an :class:`~chainvision.training.Extension` or a
                callable ``f(trainer)``.
            name (str): defaults to ``extension.name``, ``default_name`` or
                ``__name__``; a clash gets a suffix ``_1``, ``_2``...
            trigger: when to call it (default: the extension's ``trigger``
                attribute, else every iteration).
            priority (int): higher runs first (default: the extension's,
                else ``PRIORITY_READER``).
            call_before_training (bool): also call it once before the first
                update.
        """
        if name is None:
            name = (getattr(extension, 'name', None) or getattr(extension, 'default_name', None)
                    or getattr(extension, '__name__', None))
            if name is None:
                raise TypeError('the extension has no name: pass name=... to trainer.extend')
        if name == 'training':
            raise ValueError('the name "training" is prohibited as an extension name')
        if trigger is None:
            trigger = getattr(extension, 'trigger', (1, 'iteration'))
        trigger = util.get_trigger(trigger)
        if priority is None:
            priority = getattr(extension, 'priority', extension_module.PRIORITY_READER)
        unique_name, ordinal = name, 0
        while unique_name in self._extensions:
            ordinal += 1
            unique_name = '{}_{}'.format(name, ordinal)
        extension.name = unique_name
        self._extensions[unique_name] = _ExtensionEntry(extension, priority, trigger,
                                                        call_before_training)

    def get_extension(self, name):
        """The extension registered as ``name``."""
        if name not in self._extensions:
            raise ValueError('extension {} not found (registered: {})'.format(
                name, ', '.join(self._extensions) or 'none'))
        return self._extensions[name].extension

    def run(self, show_loop_exception_msg=True):
        """Run the training loop until the stop trigger fires.

        Extensions are initialized first, a ``snapshot(autoload=True)``
        before all others (it resumes the run); on an error every extension's ``on_error`` runs, and
        ``finalize`` always runs.  A trainer runs only once.
        """
        if self._done:
            raise RuntimeError('cannot run training loop multiple times')
        os.makedirs(self.out, exist_ok=True)
        extensions = sorted(self._extensions.items(), key=lambda item: item[1].priority,
                            reverse=True)
        self._start_at = time.perf_counter()
        # Resuming extensions (snapshot(autoload=True)) first, so the others'
        # initialize sees the restored state; Chainer goes by priority alone,
        # and a schedule then resets the learning rate of a resumed run.
        resuming_first = sorted(extensions, key=lambda item: not getattr(
            item[1].extension, 'autoload', False))
        for _, entry in resuming_first:
            initializer = getattr(entry.extension, 'initialize', None)
            if initializer and not getattr(entry.trigger, 'finished', False):
                initializer(self)
        if self.is_before_training:
            self.observation = {}
            with self.reporter.scope(self.observation):
                for _, entry in extensions:
                    if entry.call_before_training:
                        entry.extension(self)
        try:
            while not self.stop_trigger(self):
                self.observation = {}
                with self.reporter.scope(self.observation):
                    self.updater.update()
                    for _, entry in extensions:
                        if entry.trigger(self):
                            entry.extension(self)
        except (Exception, KeyboardInterrupt) as error:
            if show_loop_exception_msg:
                sys.stderr.write('Exception in main training loop: {}\n'.format(error))
                traceback.print_tb(sys.exc_info()[2])
                sys.stderr.write('Will finalize trainer extensions and updater before '
                                 'reraising the exception.\n')
            self._call_error_handlers(extensions, error)
            raise
        finally:
            for _, entry in extensions:
                finalize = getattr(entry.extension, 'finalize', None)
                if finalize:
                    finalize()
            self.updater.finalize()
        self._final_elapsed_time = self.elapsed_time
        self._done = True

    def _call_error_handlers(self, extensions, error):
        tb = sys.exc_info()[2]
        for _, entry in extensions:
            handler = getattr(entry.extension, 'on_error', None)
            if handler:
                try:
                    handler(self, error, tb)
                except Exception as handler_error:
                    sys.stderr.write('Exception in error handler: {}\n'.format(handler_error))
                    traceback.print_tb(sys.exc_info()[2])

    def serialize(self, serializer):
        """Save or load the whole training state (see the class docstring)
        in Chainer's layout, plus ``random_state/``."""
        self.updater.serialize(serializer['updater'])
        if hasattr(self.stop_trigger, 'serialize'):
            self.stop_trigger.serialize(serializer['stop_trigger'])
        extensions = serializer['extensions']
        triggers = serializer['extension_triggers']
        for name, entry in self._extensions.items():
            if hasattr(entry.extension, 'serialize'):
                entry.extension.serialize(extensions[name])
            if hasattr(entry.trigger, 'serialize'):
                entry.trigger.serialize(triggers[name])
        if isinstance(serializer, serializer_module.Serializer):
            serializer('_snapshot_elapsed_time', self.elapsed_time)
        else:
            self._snapshot_elapsed_time = serializer('_snapshot_elapsed_time', 0.0)
        serialize_random_states(serializer['random_state'])
