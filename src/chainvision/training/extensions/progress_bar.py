"""A progress bar with the speed and the estimated time to finish."""

import collections
import datetime
import sys
import time

from chainvision.training import extension


class ProgressBar(extension.Extension):
    """Show the progress of the whole training and of the current epoch,
    the iterations per second and the estimated time to finish (Chainer's
    display, redrawn in place with ANSI escapes every ``update_interval``
    iterations).

    Args:
        training_length (tuple): ``(length, unit)``; default: the stop
            trigger's ``get_training_length()``.
        update_interval (int): iterations between redraws (default 100).
        bar_length (int): characters of each bar (default 50).
        out: the stream (default: ``sys.stdout`` at call time).
    """

    def __init__(self, training_length=None, update_interval=100, bar_length=50, out=None):
        self._training_length = training_length
        self._update_interval = update_interval
        self._bar_length = bar_length
        self._out = out
        self._recent_timing = collections.deque(maxlen=100)
        self._lines = 0

    def __call__(self, trainer):
        if trainer.updater.iteration % self._update_interval == 0:
            self._draw(trainer)

    def _stream(self):
        return self._out or sys.stdout

    def _bar(self, rate):
        marks = '#' * int(rate * self._bar_length)
        return '[{}{}] {:6.2%}'.format(marks, '.' * (self._bar_length - len(marks)), rate)

    def _draw(self, trainer):
        if self._training_length is None:
            if not hasattr(trainer.stop_trigger, 'get_training_length'):
                raise TypeError('ProgressBar cannot tell the training length from the stop '
                                "trigger: pass training_length=(N, 'epoch' or 'iteration').")
            self._training_length = trainer.stop_trigger.get_training_length()
        length, unit = self._training_length
        iteration = trainer.updater.iteration
        epoch = trainer.updater.epoch_detail
        rate = min((iteration if unit == 'iteration' else epoch) / length, 1.0)
        now = time.time()
        self._recent_timing.append((iteration, epoch, now))
        old_iteration, old_epoch, old_time = self._recent_timing[0]
        span = now - old_time
        speed_t = (iteration - old_iteration) / span if span else float('inf')
        speed_e = (epoch - old_epoch) / span if span else float('inf')
        remaining = (length - iteration) / speed_t if unit == 'iteration' else (
            (length - epoch) / speed_e)
        remaining = max(remaining, 0.0) if remaining == remaining else 0.0
        lines = [
            '     total {}\n'.format(self._bar(rate)),
            'this epoch {}\n'.format(self._bar(epoch - int(epoch))),
            '{:10} iter, {} epoch / {} {}s\n'.format(
                iteration, trainer.updater.epoch, length, unit),
            '{:10.5g} iters/sec. Estimated time to finish: {}.\n'.format(
                speed_t, _format_seconds(remaining)),
        ]
        out = self._stream()
        out.write('\033[J' + ''.join(lines) + '\033[{:d}A'.format(len(lines)))
        out.flush()
        self._lines = len(lines)

    def finalize(self):
        """Clear the bar."""
        if self._lines:
            out = self._stream()
            out.write('\033[J')
            out.flush()


def _format_seconds(seconds):
    if seconds == float('inf'):
        return 'unknown'
    return str(datetime.timedelta(seconds=seconds))
