"""What a run observes and writes while it trains (rank 0 only): the log
trigger, the throughput fields of each log entry, the run folder's logs and
plots, and the best checkpoint."""

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
    """Rewrites the run folder's logs and plots whenever ``LogReport``
    added an entry; closes the folder's writers when training ends."""

    priority = 0

    def __init__(self, folder: RunDirectory, log_report):
        self.folder = folder
        self.log_report = log_report
        self._written = -1

    def __call__(self, trainer) -> None:
        entries = self.log_report.log
        if len(entries) != self._written:
            self.folder.write_log(entries)
            self._written = len(entries)

    def finalize(self) -> None:
        self.folder.close()


def best_checkpoint(folder: RunDirectory, predictor, describe: Callable[..., Dict]):
    """The extension that saves ``best.pt`` (run under a
    ``MaxValueTrigger`` of the validation accuracy), described by
    ``describe(iteration=, epoch=, val_accuracy=)``."""
    def best_checkpoint(trainer):
        accuracy = float(trainer.observation['validation/main/accuracy'])
        folder.save_model('best.pt', predictor, describe(
            iteration=trainer.updater.iteration, epoch=trainer.updater.epoch_detail,
            val_accuracy=round(accuracy, 6)))
    return best_checkpoint
