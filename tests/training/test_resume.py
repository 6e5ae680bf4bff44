"""Never lose work: a run killed at any moment (SIGKILL) or stopped with
Ctrl-C or SIGTERM resumes with --resume and ends with exactly the weights of a run that
was never interrupted (CPU, fixed seed)."""

import json
import os
import signal
import time

import numpy
import pytest

from _run_helpers import (
    SHORT_RUN, assert_bitwise_equal, final_weights, start_training, train)

pytestmark = pytest.mark.slow


@pytest.fixture(scope='module')
def uninterrupted(tmp_path_factory):
    out = tmp_path_factory.mktemp('whole')
    train(*SHORT_RUN, '--out', out)
    return final_weights(out)


def _snapshot_iteration(out):
    with numpy.load(os.path.join(out, 'snapshot'), allow_pickle=False) as snapshot:
        return int(snapshot['updater/iteration'])


def _wait_for_snapshot(process, out, timeout=120):
    deadline = time.monotonic() + timeout
    while not os.path.exists(os.path.join(out, 'snapshot')):
        assert process.poll() is None, process.stdout.read()
        assert time.monotonic() < deadline, 'no snapshot written'
        time.sleep(0.02)


def test_sigkill_mid_run_then_resume_gives_bitwise_the_same_weights(tmp_path, uninterrupted):
    out = tmp_path / 'killed'
    process = start_training(*SHORT_RUN, '--out', out)
    _wait_for_snapshot(process, out)
    time.sleep(0.25)            # somewhere in the middle of later iterations
    process.kill()
    process.communicate()
    assert process.returncode == -signal.SIGKILL
    killed_at = _snapshot_iteration(out)
    assert 0 < killed_at < 200
    assert not os.path.exists(out / 'last.pt')

    train('--resume', out)
    assert_bitwise_equal(final_weights(out), uninterrupted)


@pytest.mark.parametrize('signum', [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_sigterm_saves_a_snapshot_and_resume_finishes_identically(
        tmp_path, uninterrupted, signum):
    out = tmp_path / 'interrupted'
    process = start_training(*SHORT_RUN, '--out', out)
    _wait_for_snapshot(process, out)
    process.send_signal(signum)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 130, output
    assert 'Stopping after this iteration' in output
    assert 'chainvision: interrupted: Stopped at iteration ' in output   # one line, no traceback
    assert 'Traceback' not in output and 'resume with chainvision train --resume' in output
    stopped_at = int(output.split('Stopped at iteration ')[1].split(';')[0])
    assert _snapshot_iteration(out) == stopped_at < 200

    train('--resume', out)
    assert_bitwise_equal(final_weights(out), uninterrupted)
    # The whole run's time counts the training before the stop too.
    with open(out / 'results.json') as f:
        results = json.load(f)
    assert results['total_time_s'] >= results['train_time_s'] > 0


def test_a_second_run_into_the_same_folder_asks_for_resume(tmp_path):
    out = tmp_path / 'run'
    os.makedirs(out)
    (out / 'snapshot').write_bytes(b'')
    from chainvision.app.fit import fit
    with pytest.raises(FileExistsError, match='--resume'):
        fit('lenet5', 'mnist', out=str(out), iterations=1)
