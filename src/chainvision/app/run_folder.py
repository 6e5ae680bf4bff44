"""The run folder: everything a training run leaves behind, in one place.

Layout of ``RunDirectory(out)``::

    out/
      config.json       the resolved options (what was actually run)
      log.jsonl         one JSON object per log entry (epoch or interval)
      log.csv           the same entries as a table
      tensorboard/      event files (when the ``tensorboard`` package is installed)
      loss.png, accuracy.png, lr.png   curves (when ``matplotlib`` is installed)
      best.pt           the model with the best validation accuracy so far
      last.pt           the model at the end of the run
                        (best.safetensors/.npz with weights_format)
      snapshot          the full trainer state for ``--resume``
      results.json      final validation and test accuracy, time, paths

Every file is written with :func:`~chainvision.utils.atomic.atomic_write`
(temporary file, fsync, rename): a crash never leaves a torn file.  The logs
are rewritten whole from the trainer's in-memory log, which the snapshot
restores, so after a resume they hold exactly the entries of the resumed run.

Model checkpoints (``best.pt``, ``last.pt``) are self-describing, in torch's
format, safetensors or Chainer's npz: see :mod:`chainvision.app.checkpoint`.
"""

import csv
import errno
import io
import json
import math
import os
from typing import Any, Dict, List, Mapping, Union

import torch

from chainvision.app import checkpoint
from chainvision.utils import plotting
from chainvision.utils.atomic import atomic_write

# Curves drawn into the PNG plots: file name -> log keys.
PLOTS = {
    'loss.png': ('main/loss', 'validation/main/loss'),
    'accuracy.png': ('main/accuracy', 'validation/main/accuracy'),
    'lr.png': ('lr',),
}


class RunDirectory:
    """Writes the files of one run into the folder ``path``.

    Args:
        path (str): the run folder; created if missing.
        tensorboard (bool): write TensorBoard event files when the package
            is installed (default True).
        weights_format (str): the container of ``best`` and ``last``, a key
            of :data:`~chainvision.app.checkpoint.WEIGHTS_FORMATS`
            (default ``'pt'``).
    """

    def __init__(self, path: Union[str, os.PathLike], tensorboard: bool = True,
                 weights_format: str = 'pt'):
        self.path = os.fspath(path)
        os.makedirs(self.path, exist_ok=True)
        self.weights_suffix = checkpoint.WEIGHTS_FORMATS[weights_format]
        self._want_tensorboard = tensorboard
        self._tensorboard = None

    def file(self, name: str) -> str:
        """Absolute path of ``name`` inside the run folder."""
        return os.path.join(self.path, name)

    def write_json(self, name: str, data: Any) -> None:
        """Write ``data`` as indented JSON to ``name`` (atomically)."""
        with atomic_write(self.file(name), 'w') as f:
            json.dump(data, f, indent=2, sort_keys=True, default=_json_default)
            f.write('\n')

    def write_log(self, entries: List[Dict[str, Any]]) -> None:
        """Rewrite ``log.jsonl`` and ``log.csv`` from the list of log
        entries (dicts of numbers), and add the entries TensorBoard has not
        seen yet (the plots: :meth:`write_plots`)."""
        with atomic_write(self.file('log.jsonl'), 'w') as f:
            for entry in entries:
                f.write(json.dumps(entry, sort_keys=True, default=_json_default) + '\n')
        with atomic_write(self.file('log.csv'), 'w') as f:
            f.write(_to_csv(entries))
        self._write_tensorboard(entries)

    def _write_tensorboard(self, entries):
        if not entries or not self._want_tensorboard:
            return
        if self._tensorboard is None:
            try:
                from torch.utils.tensorboard import SummaryWriter
            except ImportError:
                self._want_tensorboard = False
                return
            # purge_step hides events a killed run wrote after its last
            # snapshot, so a resumed run's curves have no doubled steps.
            first = entries[-1]['iteration']
            self._tensorboard = SummaryWriter(self.file('tensorboard'), purge_step=first)
            self._tensorboard_step = first - 1
        for entry in entries:
            step = entry['iteration']
            if step <= self._tensorboard_step:
                continue
            for key, value in entry.items():
                if key not in ('iteration', 'epoch') and _is_number(value):
                    self._tensorboard.add_scalar(key, value, step)
            self._tensorboard_step = step
        self._tensorboard.flush()

    def write_plots(self, entries: List[Dict[str, Any]]) -> None:
        """Draw ``loss.png``, ``accuracy.png`` and ``lr.png`` from the log
        entries against the epoch (skipped without matplotlib, and for
        curves with no values)."""
        for file_name, keys in PLOTS.items():
            series = {key: [(e['epoch_detail'] if 'epoch_detail' in e else e['epoch'], e[key])
                            for e in entries if _is_number(e.get(key))] for key in keys}
            if any(series.values()):
                plotting.plot_lines(series, self.file(file_name), 'epoch')

    def close(self) -> None:
        """Close the TensorBoard writer (the files stay)."""
        if self._tensorboard is not None:
            self._tensorboard.close()
            self._tensorboard = None

    def model_file(self, stem: str) -> str:
        """Absolute path of the model checkpoint ``stem`` (``'best'``,
        ``'last'``) in the run's weights format: ``.../best.pt``."""
        return self.file(stem + self.weights_suffix)

    def save_model(self, stem: str, model: torch.nn.Module,
                   description: Mapping[str, Any]) -> None:
        """Save a self-describing model checkpoint
        (:func:`chainvision.app.checkpoint.save_checkpoint`) as
        :meth:`model_file` ``(stem)``."""
        checkpoint.save_checkpoint(self.model_file(stem), model, description)


class RunFolderWriteError(RuntimeError):
    """A file of the run folder could not be written (a full disk, a
    read-only folder).  The message names the file and says whether the
    run can be resumed from its last snapshot, which atomic writes keep
    intact.

    Attributes:
        filename (str): the file that could not be written.
        snapshot (str or None): the intact snapshot to resume from, if any.
    """

    def __init__(self, error: OSError, folder: str):
        self.filename = error.filename
        snapshot = os.path.join(folder, 'snapshot')
        self.snapshot = snapshot if os.path.exists(snapshot) else None
        remedy = ('free some space' if error.errno in (errno.ENOSPC, errno.EDQUOT)
                  else 'make {} writable (or choose another --out)'.format(folder))
        then = ('the last snapshot {} is intact: {} and resume with chainvision train '
                '--resume {}'.format(snapshot, remedy, folder) if self.snapshot else
                'no snapshot had been written yet: {} and start again'.format(remedy))
        super().__init__('could not write {} ({}); {}'.format(error.filename, error.strerror,
                                                              then))


def is_inside(path: Any, folder: str) -> bool:
    """Whether the file ``path`` (a str, or ``None``) lies in ``folder``."""
    if not isinstance(path, str):
        return False
    folder = os.path.abspath(folder)
    return os.path.commonpath([os.path.abspath(path), folder]) == folder


def _to_csv(entries):
    columns = []
    for entry in entries:
        columns.extend(key for key in entry if key not in columns)
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns, lineterminator='\n')
    writer.writeheader()
    for entry in entries:
        writer.writerow(entry)
    return text.getvalue()


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _json_default(value):
    if isinstance(value, torch.Tensor):
        return value.item() if value.numel() == 1 else value.tolist()
    if hasattr(value, 'tolist'):
        return value.tolist()
    raise TypeError('cannot write {} to JSON'.format(type(value).__name__))
