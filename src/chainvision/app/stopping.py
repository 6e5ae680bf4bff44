"""Ending a run: after its last iteration, or cleanly on Ctrl-C / SIGTERM
(the iteration in progress finishes, then the snapshot is saved)."""

import contextlib
import signal
import threading
from typing import Any, Dict, Iterator, Tuple


class StopTrigger:
    """Stops after ``total`` iterations, or at the end of the iteration in
    which Ctrl-C or SIGTERM came (so the snapshot then saved is consistent).

    Attributes:
        total (int): the run's length in iterations.
        interrupted (bool): set by :func:`stop_on_signals`.
    """

    def __init__(self, total: int):
        self.total = total
        self.interrupted = False

    def __call__(self, trainer) -> bool:
        return self.interrupted or trainer.updater.iteration >= self.total

    def get_training_length(self) -> Tuple[int, str]:
        """``(total, 'iteration')``, for the progress bar."""
        return self.total, 'iteration'


# Signals that stop a run cleanly, each with the disposition it must have
# for fit to take it over (a handler someone else installed is left alone).
_STOP_SIGNALS: Dict[int, Any] = {signal.SIGINT: signal.default_int_handler,
                                 signal.SIGTERM: signal.SIG_DFL}


@contextlib.contextmanager
def stop_on_signals(stop_trigger: StopTrigger) -> Iterator[None]:
    """While training, the first Ctrl-C (SIGINT) or SIGTERM (what batch
    schedulers send before they kill) asks the loop to stop after the current
    iteration; a second one acts as usual, at once.  Off the main thread
    (where Python delivers no signals) nothing is installed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    taken = [s for s, default in _STOP_SIGNALS.items() if signal.getsignal(s) is default]

    def request_stop(signum, frame):
        stop_trigger.interrupted = True
        signal.signal(signum, _STOP_SIGNALS[signum])
        print('\nStopping after this iteration and saving a snapshot (again to abort).',
              flush=True)

    for signum in taken:
        signal.signal(signum, request_stop)
    try:
        yield
    finally:
        for signum in taken:
            signal.signal(signum, _STOP_SIGNALS[signum])
