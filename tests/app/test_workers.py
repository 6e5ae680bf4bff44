"""Worker pools that end with the process that started them."""

import os
import signal
import subprocess
import sys
import time

import pytest

from chainvision.app.workers import WorkerDied, worker_pool

linux_only = pytest.mark.skipif(not sys.platform.startswith('linux'),
                                reason='the kernel signal is Linux-only')


def _alive(pid):
    # A zombie (ended, not yet reaped by init) counts as ended.
    try:
        with open('/proc/{}/stat'.format(pid)) as f:
            return f.read().split(')')[-1].split()[0] != 'Z'
    except FileNotFoundError:
        return False


def _kill_parent_and_wait_for(script, *args):
    """Run ``script`` (which prints its worker's pid, then waits), SIGKILL it
    (no chance to clean up), and return whether the worker still lives 30 s
    later."""
    parent = subprocess.Popen([sys.executable, '-c', script, *args], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    worker = int(parent.stdout.readline())
    time.sleep(0.5)    # the executor hands the worker the queued tasks
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 30
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    return _alive(worker)


@linux_only
def test_a_worker_ends_when_its_parent_is_killed():
    script = ('import os, time\n'
              'from chainvision.app.workers import worker_pool\n'
              'pool = worker_pool(1)\n'
              'print(pool.submit(os.getpid).result(), flush=True)\n'
              'pool.submit(time.sleep, 120)\n'
              'time.sleep(120)\n')
    assert not _kill_parent_and_wait_for(script)


@linux_only
def test_no_task_starts_after_the_parent_died(tmp_path):
    # The running task returns on the SIGTERM the kernel sends when the
    # parent dies, as fit does; the task after it (creating a file) must
    # never start, and the idle worker must end.
    marker = tmp_path / 'started'
    script = ('import os, signal, sys, time\n'
              'from chainvision.app.workers import worker_pool\n'
              'pool = worker_pool(1)\n'
              'pool.submit(signal.pthread_sigmask, signal.SIG_BLOCK, [signal.SIGTERM]).result()\n'
              'print(pool.submit(os.getpid).result(), flush=True)\n'
              'tasks = {"fit": (signal.sigtimedwait, ([signal.SIGTERM], 60)),\n'
              '         "next": (open, (sys.argv[1], "w"))}\n'
              'for key, future in pool.each_as_done(tasks):\n'
              '    print(key, future.result(), flush=True)\n')
    assert not _kill_parent_and_wait_for(script, str(marker))
    assert not marker.exists()


def test_each_as_done_hands_over_a_task_only_to_a_free_worker():
    with worker_pool(2) as pool:
        futures = []
        submit = pool.submit

        def submit_when_a_worker_is_free(fn, *args):
            assert sum(not f.done() for f in futures) < pool.jobs
            futures.append(submit(fn, *args))
            return futures[-1]

        pool.submit = submit_when_a_worker_is_free
        tasks = {n: (time.sleep, (0.1 * n,)) for n in range(5)}
        assert sorted(key for key, _ in pool.each_as_done(tasks)) == list(range(5))
        assert len(futures) == 5
        # Leaving the loop early (a failed run) starts nothing more.
        futures.clear()
        for key, future in pool.each_as_done(tasks):
            break
        assert len(futures) == 3


def test_a_worker_that_dies_is_named_by_the_tasks_it_ran():
    with worker_pool(1) as pool:
        tasks = {'killed': (os._exit, (1,)), 'never started': (time.sleep, (0,))}
        with pytest.raises(WorkerDied, match='ended abruptly .* while running killed$') as died:
            for _ in pool.each_as_done(tasks):
                pass
        assert died.value.keys == ['killed']
