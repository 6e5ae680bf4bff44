"""Save (and resume from) snapshots of the trainer or of any object."""

import os

from chainvision.serializers import npz
from chainvision.utils.atomic import atomic_write
from chainvision.training import extension
from chainvision.training.extensions.fail_on_nonnumber import DivergenceError


def _matching_files(filename_format, folder):
    # Files whose names have the format's fixed prefix and suffix, oldest first.
    prefix = filename_format.split('{')[0]
    suffix = filename_format.split('}')[-1]
    names = [name for name in os.listdir(folder)
             if name.startswith(prefix) and name.endswith(suffix)]
    return sorted(names, key=lambda name: (os.stat(os.path.join(folder, name)).st_mtime, name))


def write_atomically(savefun, path, target):
    """Write ``savefun(stream, target)`` to ``path`` through a temporary
    file (fsync, rename), so a crash never leaves a partial snapshot."""
    with atomic_write(path) as stream:
        savefun(stream, target)


class _Snapshot(extension.Extension):
    """The extension returned by :func:`snapshot` and :func:`snapshot_object`."""

    trigger = 1, 'epoch'
    priority = -100

    def __init__(self, target, filename, savefun, condition, snapshot_on_error, n_retains,
                 autoload, writer):
        self._target = target
        self.filename = filename
        self.savefun = savefun
        self.condition = condition
        self.writer = writer
        self._snapshot_on_error = snapshot_on_error
        self.n_retains = n_retains
        self.autoload = autoload

    def initialize(self, trainer):
        """With ``autoload``, load the newest matching snapshot in
        ``trainer.out`` (if any): this is how a run resumes."""
        if not self.autoload or callable(self.filename) or not os.path.isdir(trainer.out):
            return
        files = _matching_files(self.filename, trainer.out)
        if files:
            target = trainer if self._target is None else self._target
            npz.load_npz(os.path.join(trainer.out, files[-1]), target)

    def on_error(self, trainer, exc, tb):
        """Save a snapshot when training fails, if asked to; not when the
        model diverged (the weights are NaN: the last snapshot is kept)."""
        if self._snapshot_on_error and not isinstance(exc, DivergenceError):
            self._make_snapshot(trainer)

    def __call__(self, trainer):
        if self.condition is None or self.condition():
            self._make_snapshot(trainer)

    def _make_snapshot(self, trainer):
        target = trainer if self._target is None else self._target
        serialized = npz.serialize(target)
        filename = self.filename(trainer) if callable(self.filename) else self.filename.format(
            trainer)
        if self.writer is not None:
            self.writer(filename, trainer.out, serialized)
        else:
            write_atomically(self.savefun, os.path.join(trainer.out, filename), serialized)
        self._remove_stale(trainer.out)

    def _remove_stale(self, folder):
        if self.n_retains <= 0 or callable(self.filename):
            return
        files = _matching_files(self.filename, folder)
        for name in files[:max(len(files) - self.n_retains, 0)]:
            os.remove(os.path.join(folder, name))


def snapshot(savefun=None, filename='snapshot_iter_{.updater.iteration}', *, target=None,
             condition=None, writer=None, snapshot_on_error=False, n_retains=-1, autoload=False):
    """An extension saving the trainer (or ``target``) to
    ``<out>/<filename>`` (default once per epoch, after other extensions).

    Args:
        savefun (callable): ``savefun(stream, dict_of_arrays)`` (default
            :func:`~chainvision.serializers.save_npz`).
        filename (str or callable): formatted with the trainer
            (``'snapshot_iter_{.updater.iteration}'``), or
            ``filename(trainer)``.
        target: what to save (default: the trainer).
        condition (callable): saves only when ``condition()`` is true.
        writer (callable): ``writer(filename, out, dict_of_arrays)``
            replacing the default atomic write.
        snapshot_on_error (bool): also save when training raises (except
            on :class:`~chainvision.training.extensions.fail_on_nonnumber.DivergenceError`).
        n_retains (int): keep only the newest ``n`` matching files (-1: all).
        autoload (bool): at the start of ``trainer.run()``, resume from the
            newest matching file in ``out``.

    Files are written atomically (temporary file, fsync, rename).
    """
    if savefun is not None and writer is not None:
        raise TypeError('savefun and writer arguments cannot be specified together.')
    return _Snapshot(target, filename, savefun or npz.save_npz, condition, snapshot_on_error,
                     n_retains, autoload, writer)


def snapshot_object(target, filename, savefun=None, **kwargs):
    """Like :func:`snapshot`, saving ``target`` (e.g. the model) instead of
    the trainer; ``filename`` is required, e.g.
    ``'model_epoch_{.updater.epoch}.npz'``."""
    return snapshot(savefun, filename, target=target, **kwargs)
