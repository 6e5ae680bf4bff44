"""Print the entries of a ``LogReport`` as a table."""

import sys

from chainvision.training import extension
from chainvision.training.extensions.log_report import LogReport


class PrintReport(extension.Extension):
    """Print the chosen entries of each new ``LogReport`` line, under a
    header printed once (Chainer's format: columns at least 10 wide, values
    with ``{:g}``).

    Args:
        entries (list of str): the keys to print, e.g. ``['epoch',
            'main/loss', 'validation/main/accuracy']``.
        log_report (str or LogReport): the LogReport extension or its name.
        out: the stream (default: ``sys.stdout`` at call time).
    """

    def __init__(self, entries, log_report='LogReport', out=None):
        self._entries = entries
        self._log_report = log_report
        self._out = out
        self._log_len = 0
        widths = [max(10, len(entry)) for entry in entries]
        self._header = '  '.join('{:%d}' % w for w in widths).format(*entries) + '\n'
        self._templates = [(entry, '{:<%dg}  ' % w, ' ' * (w + 2))
                           for entry, w in zip(entries, widths)]

    def __call__(self, trainer):
        out = self._out or sys.stdout
        if self._header:
            out.write(self._header)
            self._header = None
        log_report = self._log_report
        if isinstance(log_report, str):
            log_report = trainer.get_extension(log_report)
        elif isinstance(log_report, LogReport):
            log_report(trainer)
        else:
            raise TypeError('log_report must be a LogReport or its name, got {}'.format(
                type(log_report).__name__))
        log = log_report.log
        while len(log) > self._log_len:
            self._print(out, log[self._log_len])
            self._log_len += 1

    def _print(self, out, entry):
        for key, template, empty in self._templates:
            out.write(template.format(entry[key]) if key in entry else empty)
        out.write('\n')
        out.flush()

    def serialize(self, serializer):
        """Save or load the LogReport given as an object (not by name)."""
        if isinstance(self._log_report, LogReport):
            self._log_report.serialize(serializer['_log_report'])
