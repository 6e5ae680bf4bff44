"""Worker processes that end with the process that started them: what
``reproduce --jobs`` trains in, and where the benchmarks run their PyTorch
peers (a fresh process with PyTorch's defaults)."""

import concurrent.futures
import ctypes
import multiprocessing
import os
import signal
import sys


def worker_pool(jobs: int) -> concurrent.futures.ProcessPoolExecutor:
    """``jobs`` spawned worker processes that end when this process ends,
    however it ends: a worker outliving a killed ``reproduce`` would go on
    training unseen (on Linux the kernel sends it SIGTERM, on which ``fit``
    saves its snapshot and stops)."""
    # Spawned, not forked: a fork would copy this process's OpenMP and CUDA
    # state, which neither survives.
    return concurrent.futures.ProcessPoolExecutor(
        jobs, mp_context=multiprocessing.get_context('spawn'), initializer=_die_with_parent,
        initargs=(os.getpid(),))


def _die_with_parent(parent_pid):
    if sys.platform.startswith('linux'):
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent_pid:    # the parent died before the line above
        os._exit(1)
