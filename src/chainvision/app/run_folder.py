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
      snapshot          the full trainer state for ``--resume``
      results.json      final validation and test accuracy, time, paths

Every file is written with :func:`~chainvision.utils.atomic.atomic_write`
(temporary file, fsync, rename): a crash never leaves a torn file.  The logs
are rewritten whole from the trainer's in-memory log, which the snapshot
restores, so after a resume they hold exactly the entries of the resumed run.

Model checkpoints (``best.pt``, ``last.pt``) are self-describing: a dict of
plain types and tensors (loadable with ``torch.load(weights_only=True)``)
that holds the model's registry name and keyword arguments, the class names,
the input normalisation and the ``state_dict``, so ``chainvision eval`` and
``predict`` rebuild the model from the file alone.
"""

import csv
import io
import json
import math
import os

import torch

from chainvision.utils.atomic import atomic_write

CHECKPOINT_FORMAT = 'chainvision-checkpoint-1'

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
    """

    def __init__(self, path, tensorboard=True):
        self.path = os.fspath(path)
        os.makedirs(self.path, exist_ok=True)
        self._want_tensorboard = tensorboard
        self._tensorboard = None

    def file(self, name):
        """Absolute path of ``name`` inside the run folder."""
        return os.path.join(self.path, name)

    def write_json(self, name, data):
        """Write ``data`` as indented JSON to ``name`` (atomically)."""
        with atomic_write(self.file(name), 'w') as f:
            json.dump(data, f, indent=2, sort_keys=True, default=_json_default)
            f.write('\n')

    def write_log(self, entries):
        """Rewrite ``log.jsonl`` and ``log.csv`` from the list of log
        entries (dicts of numbers), redraw the plots, and add the entries
        TensorBoard has not seen yet."""
        with atomic_write(self.file('log.jsonl'), 'w') as f:
            for entry in entries:
                f.write(json.dumps(entry, sort_keys=True, default=_json_default) + '\n')
        with atomic_write(self.file('log.csv'), 'w') as f:
            f.write(_to_csv(entries))
        write_plots(self, entries)
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

    def close(self):
        """Close the TensorBoard writer (the files stay)."""
        if self._tensorboard is not None:
            self._tensorboard.close()
            self._tensorboard = None

    def save_model(self, name, model, description):
        """Save a self-describing model checkpoint (see the module doc).

        Args:
            name (str): file name in the run folder, e.g. ``'best.pt'``.
            model (torch.nn.Module): the network (not the loss wrapper).
            description (dict): ``model`` (registry name or None),
                ``model_kwargs``, ``class_names``, ``mean``, ``std`` and any
                other plain values worth keeping (epoch, accuracy).
        """
        state = {key: value.detach().cpu() for key, value in model.state_dict().items()}
        payload = dict(description, format=CHECKPOINT_FORMAT, state_dict=state)
        with atomic_write(self.file(name)) as f:
            torch.save(payload, f)


def load_checkpoint(path):
    """Load a checkpoint written by :meth:`RunDirectory.save_model`.

    ``torch.load(..., weights_only=True)``: loading never runs code from
    the file.  ``path`` may be a run folder (its ``best.pt`` is used).

    Returns:
        dict with ``state_dict`` and the description (see ``save_model``).
    """
    path = os.fspath(path)
    if os.path.isdir(path):
        path = os.path.join(path, 'best.pt')
    if not os.path.exists(path):
        raise FileNotFoundError('No checkpoint at {}: pass a run folder (with best.pt) or a '
                                '.pt file written by chainvision train.'.format(path))
    payload = torch.load(path, map_location='cpu', weights_only=True)
    if not isinstance(payload, dict) or payload.get('format') != CHECKPOINT_FORMAT:
        raise ValueError('{} is not a chainvision checkpoint (no {!r} format tag); a bare '
                         'state_dict needs the model built by hand and '
                         'load_state_into(model, state_dict).'.format(path, CHECKPOINT_FORMAT))
    return payload


def model_from_checkpoint(checkpoint):
    """Rebuild the zoo model a checkpoint describes and load its weights.

    Args:
        checkpoint (dict): from :func:`load_checkpoint`.

    Returns:
        torch.nn.Module on the CPU, in the state it was saved in.
    """
    if checkpoint.get('model') is None:
        raise ValueError('This checkpoint holds a model that is not in the zoo: build the model '
                         'yourself and call load_state_into(model, checkpoint["state_dict"]).')
    from chainvision import models
    model = models.create(checkpoint['model'], **dict(
        checkpoint['model_kwargs'], num_classes=len(checkpoint['class_names']),
        in_channels=checkpoint['image_shape'][0]))
    load_state_into(model, checkpoint['state_dict'])
    return model


def load_state_into(model, state_dict, source='checkpoint'):
    """Copy ``state_dict`` into ``model``, or raise a ``ValueError`` that
    lists the missing keys, the unexpected keys and the shape mismatches
    (PyTorch's own message stops at the first shape mismatch)."""
    own = model.state_dict()
    missing = sorted(set(own) - set(state_dict))
    unexpected = sorted(set(state_dict) - set(own))
    mismatched = ['{}: model {} vs {} {}'.format(key, tuple(own[key].shape), source,
                                                 tuple(state_dict[key].shape))
                  for key in sorted(set(own) & set(state_dict))
                  if own[key].shape != state_dict[key].shape]
    if missing or unexpected or mismatched:
        lines = ['The {} does not fit the model ({}):'.format(source, type(model).__name__)]
        for title, items in (('missing keys', missing), ('unexpected keys', unexpected),
                             ('shape mismatches', mismatched)):
            if items:
                lines.append('  {} ({}): {}'.format(title, len(items), ', '.join(items)))
        raise ValueError('\n'.join(lines))
    model.load_state_dict(state_dict)


def pyplot():
    """``matplotlib.pyplot`` with the file-only Agg backend, or ``None``
    when matplotlib is not installed (pictures are then skipped)."""
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    return plt


def save_figure(figure, path):
    """Write a matplotlib figure as a PNG (atomically) and close it."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format='png', dpi=100, bbox_inches='tight')
    pyplot().close(figure)
    with atomic_write(path) as f:
        f.write(buffer.getvalue())


def write_plots(run, entries):
    """Draw ``loss.png``, ``accuracy.png`` and ``lr.png`` from the log
    entries (skipped without matplotlib, and for curves with no values)."""
    plt = pyplot()
    if plt is None:
        return
    for file_name, keys in PLOTS.items():
        series = {key: [(e['epoch_detail'] if 'epoch_detail' in e else e['epoch'], e[key])
                        for e in entries if _is_number(e.get(key))] for key in keys}
        if not any(series.values()):
            continue
        figure, axes = plt.subplots(figsize=(6, 4))
        for key, points in series.items():
            if points:
                axes.plot(*zip(*points), marker='.', label=key)
        axes.set_xlabel('epoch')
        axes.legend()
        axes.grid(alpha=0.3)
        save_figure(figure, run.file(file_name))


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
