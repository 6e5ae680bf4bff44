"""Worker processes that end with the process that started them: what
``reproduce --jobs`` trains in, and where the benchmarks run their PyTorch
peers (a fresh process with PyTorch's defaults)."""

import concurrent.futures
import concurrent.futures.process
import ctypes
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
from typing import Any, Callable, Dict, Hashable, Iterator, Sequence, Tuple

# Held in a worker while it runs a task.
_busy = threading.Lock()


class WorkerDied(concurrent.futures.process.BrokenProcessPool):
    """A worker process ended abruptly (killed by a signal: by the user, or
    for lack of memory) while the tasks ``keys`` ran; they are lost, and the
    pool is unusable."""

    def __init__(self, keys: Sequence[Hashable]):
        super().__init__('a worker process ended abruptly (killed by a signal, or out of memory) '
                         'while running {}'.format(', '.join(map(str, keys))))
        self.keys = keys


class WorkerPool(concurrent.futures.ProcessPoolExecutor):
    """``jobs`` spawned worker processes that end when this process ends,
    however it ends: a worker outliving a killed ``reproduce`` would go on
    training unseen.

    On Linux the kernel sends each worker SIGTERM when this process dies, on
    which a ``fit`` running there saves its snapshot and returns; the worker
    exits as soon as it is idle and this process is gone.
    """

    def __init__(self, jobs: int):
        # Spawned, not forked: a fork would copy this process's OpenMP and
        # CUDA state, which neither survives.
        super().__init__(jobs, mp_context=multiprocessing.get_context('spawn'),
                         initializer=_init_worker)
        self.jobs = jobs

    def submit(self, fn: Callable[..., Any], /, *args: Any,
               **kwargs: Any) -> concurrent.futures.Future:
        """``fn(*args, **kwargs)`` in a worker (``fn`` a module-level
        function)."""
        return super().submit(_run_task, fn, *args, **kwargs)

    def each_as_done(self, tasks: Dict[Hashable, Tuple[Callable[..., Any], Sequence[Any]]]
                     ) -> Iterator[Tuple[Hashable, concurrent.futures.Future]]:
        """Run ``tasks`` (``key -> (fn, args)``, in order) and yield
        ``(key, future)`` as each ends.

        At most one task per worker is handed over at a time: the executor
        queues a task in a worker before it starts, and one queued behind a
        run that stopped because this process died would still start.
        Closing the iterator (a failure, Ctrl-C) leaves the rest unstarted.

        Raises:
            WorkerDied: naming the tasks that were running.
        """
        waiting = iter(tasks.items())
        running: Dict[concurrent.futures.Future, Hashable] = {}

        def hand_over_next():
            for key, (fn, args) in waiting:
                running[self.submit(fn, *args)] = key
                return

        for _ in range(self.jobs):
            hand_over_next()
        while running:
            done, _ = concurrent.futures.wait(running, return_when='FIRST_COMPLETED')
            for future in done:
                if isinstance(future.exception(), concurrent.futures.process.BrokenProcessPool):
                    raise WorkerDied(list(running.values()))
                hand_over_next()
                yield running.pop(future), future


def worker_pool(jobs: int) -> WorkerPool:
    """A :class:`WorkerPool` of ``jobs`` processes."""
    return WorkerPool(jobs)


def _init_worker():
    if sys.platform.startswith('linux'):
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    threading.Thread(target=_exit_when_orphaned, daemon=True).start()


def _exit_when_orphaned():
    # The parent's end of this pipe closes when the whole parent process has
    # gone (the kernel's SIGTERM comes already when the thread that spawned
    # this worker ends). A task in progress ends first; an idle worker would
    # otherwise wait for its next task for ever.
    multiprocessing.connection.wait([multiprocessing.parent_process().sentinel])
    with _busy:
        os._exit(1)


def _run_task(fn, *args, **kwargs):
    with _busy:
        return fn(*args, **kwargs)
