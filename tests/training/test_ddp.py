"""Data-parallel training: ``torchrun --nproc_per_node=2`` on the CPU (gloo)
ends with the weights of one process trained with the same global batch.

LeNet-5 has no BatchNorm: with BatchNorm each rank would normalise with its
own half-batch statistics (and keep its own running averages), so the two
runs would legitimately differ.  The weights agree up to float rounding, not
bitwise: DDP sums the two ranks' gradients in a different order.
"""

import socket
import subprocess
import sys

import pytest
import torch

from _run_helpers import ENV, final_weights, train

pytestmark = pytest.mark.slow

RUN = ['lenet5', '--dataset', 'mnist', '--iterations', '30', '--batch-size', '64',
       '--val-split', '1000', '--seed', '5', '--device', 'cpu', '--no-progress',
       '--precision', 'fp32']


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def test_two_gloo_processes_match_one_process_with_the_same_global_batch(tmp_path):
    single = tmp_path / 'single'
    train(*RUN, '--out', single)
    parallel = tmp_path / 'ddp'
    result = subprocess.run(
        [sys.executable, '-m', 'torch.distributed.run', '--nnodes=1', '--nproc_per_node=2',
         '--master_addr=127.0.0.1', '--master_port={}'.format(_free_port()),
         '-m', 'chainvision.cli.main', 'train', *RUN, '--out', str(parallel)],
        env=ENV, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr
    # Rank 0 alone wrote the run folder and printed the summary.
    assert result.stdout.count('Test accuracy') == 1
    expected, got = final_weights(single), final_weights(parallel)
    for key in expected:
        torch.testing.assert_close(got[key], expected[key], rtol=1e-4, atol=1e-5)
    # The weights moved (so the comparison means something).
    first = torch.load(single / 'last.pt', weights_only=True)
    assert first['iteration'] == 30
