"""What a run observes and writes while it trains (rank 0 only): the log
trigger, the throughput fields of each log entry, the run folder's logs and
plots, and the best checkpoint."""

import time
from typing import Callable, Dict, Optional

from chainvision.app.run_folder import RunDirectory


class EpochOrInterval:
    """Fires at every epoch end, every ``interval`` iterations (if given)
    and at the last iteration ``total``; stateless, so nothing to snapshot."""

    def __init__(self, total: int, interval: Optional[int] = None):
        self.total = total
        self.interval = interval

    def __call__(self, trainer) -> bool:
        updater = trainer.updater
        return (updater.is_new_epoch or updater.iteration >= self.total
                or bool(self.interval and updater.iteration % self.interval == 0))

    def serialize(self, serializer):
        """Nothing to save (triggers that wrap this one call it)."""


class ProgressFields:
    """``LogReport`` postprocess: adds ``epoch_detail`` (the plots' x axis)
    and ``images/s`` (training throughput over the entry's interval,
    evaluation excluded) to each log entry.

    Args:
        updater: a :class:`~chainvision.training.updaters.FitUpdater` (its
            ``timed_updates`` and ``update_seconds``).
        batch_size (int): the global batch size.
    """

    def __init__(self, updater, batch_size: int):
        self.updater = updater
        self.batch_size = batch_size
        self._last = (0, 0.)

    def __call__(self, entry: Dict) -> None:
        updates, seconds = self.updater.timed_updates, self.updater.update_seconds
        done = (updates - self._last[0]) * self.batch_size
        spent = seconds - self._last[1]
        self._last = updates, seconds
        entry['epoch_detail'] = self.updater.epoch_detail
        entry['images/s'] = done / spent if spent > 0 else float('nan')


class RunFiles:
    """Rewrites the run folder's logs whenever ``LogReport`` added an
    entry, and its plots when ``plot_seconds`` have passed since they were
    last drawn (or the run started) and when training ends; closes the
    folder's writers then.

    Drawing the three plots took 3.5 s per log entry in a profile of a
    LeNet-5 run on this project's 2-core CPU with other jobs running
    (matplotlib's import included): at every epoch of the README's LeNet-5
    run (3 s an epoch), as before, they would cost more than the training.
    """

    priority = 0

    def __init__(self, folder: RunDirectory, log_report, plot_seconds: float = 60.):
        self.folder = folder
        self.log_report = log_report
        self.plot_seconds = plot_seconds
        self._written = -1
        self._plotted = 0
        self._plotted_at = time.monotonic()

    def __call__(self, trainer) -> None:
        entries = self.log_report.log
        if len(entries) != self._written:
            self.folder.write_log(entries)
            self._written = len(entries)
            if time.monotonic() - self._plotted_at >= self.plot_seconds:
                self._plot(entries)

    def _plot(self, entries):
        self.folder.write_plots(entries)
        self._plotted = len(entries)
        self._plotted_at = time.monotonic()

    def finalize(self) -> None:
        entries = self.log_report.log
        if entries and self._plotted != len(entries):
            self._plot(entries)
        self.folder.close()


def best_checkpoint(folder: RunDirectory, predictor, describe: Callable[..., Dict]):
    """The extension that saves ``best.pt`` (or ``best.safetensors``,
    ``best.npz``: the folder's weights format; run under a
    ``MaxValueTrigger`` of the validation accuracy), described by
    ``describe(iteration=, epoch=, val_accuracy=)``."""
    def best_checkpoint(trainer):
        accuracy = float(trainer.observation['validation/main/accuracy'])
        folder.save_model('best', predictor, describe(
            iteration=trainer.updater.iteration, epoch=trainer.updater.epoch_detail,
            val_accuracy=round(accuracy, 6)))
    return best_checkpoint
