"""Plot logged values against the epoch or iteration as a PNG."""

import json
import os
import warnings

from chainvision import serializer as serializer_module
from chainvision.training import extension
from chainvision.training import util
from chainvision.utils import plotting


class PlotReport(extension.Extension):
    """Average ``y_keys`` over each ``trigger`` interval and redraw
    ``<out>/<filename>`` (a PNG, written atomically) with one line per key
    against ``x_key``.

    Args:
        y_keys (str or list): observation keys to plot.
        x_key (str): ``'iteration'`` (default, as in Chainer v7) or ``'epoch'``.
        trigger: the interval (default ``(1, 'epoch')``).
        postprocess (callable): ``postprocess(figure, axes, summary)``
            before saving.
        filename (str): the file name (default ``'plot.png'``); Chainer's
            older spelling ``file_name`` is accepted too.
        marker (str): the matplotlib marker (default ``'x'``).
        grid (bool): draw a grid.

    Needs matplotlib (``pip install chainvision[plot]``); without it the
    extension warns once and does nothing, as in Chainer.
    """

    def __init__(self, y_keys, x_key='iteration', trigger=(1, 'epoch'), postprocess=None,
                 filename=None, marker='x', grid=True, file_name='plot.png'):
        filename = filename or file_name
        if x_key not in ('epoch', 'iteration'):
            raise ValueError("x_key must be 'epoch' or 'iteration', got {!r}".format(x_key))
        self._x_key = x_key
        self._y_keys = [y_keys] if isinstance(y_keys, str) else list(y_keys)
        self._trigger = util.get_trigger(trigger)
        self._file_name = filename
        self._marker = marker
        self._grid = grid
        self._postprocess = postprocess
        self._sums = {}
        self._data = {key: [] for key in self._y_keys}
        if not self.available():
            warnings.warn('matplotlib is not installed: PlotReport does nothing. Install it with '
                          "pip install 'chainvision[plot]'.")

    @staticmethod
    def available():
        """Whether matplotlib can be imported."""
        return plotting.pyplot() is not None

    def __call__(self, trainer):
        for key in self._y_keys:
            if key in trainer.observation:
                total, count = self._sums.get(key, (0.0, 0))
                value = trainer.observation[key]
                value = value.detach() if hasattr(value, 'detach') else value
                self._sums[key] = (total + float(value), count + 1)
        if not self._trigger(trainer):
            return
        x = getattr(trainer.updater, self._x_key)
        for key, (total, count) in self._sums.items():
            self._data[key].append((x, total / count))
        self._sums = {}
        plotting.plot_lines(self._data, os.path.join(trainer.out, self._file_name),
                            self._x_key, marker=self._marker, grid=self._grid,
                            postprocess=self._postprocess)

    @property
    def data(self):
        """``{key: [(x, mean), ...]}`` plotted so far."""
        return self._data

    def serialize(self, serializer):
        """Save or load the plotted points (JSON under Chainer's key) and the
        sums of the current interval (``_sums``, not in Chainer)."""
        key = '_plot_{}'.format(self._file_name)
        if isinstance(serializer, serializer_module.Serializer):
            serializer(key, json.dumps(self._data))
            serializer('_sums', json.dumps(self._sums))
            return
        loaded = json.loads(serializer(key, ''))
        self._data = {k: [tuple(p) for p in loaded.get(k, [])] for k in self._y_keys}
        try:
            self._sums = {k: tuple(v) for k, v in json.loads(serializer('_sums', '')).items()}
        except KeyError:
            self._sums = {}
