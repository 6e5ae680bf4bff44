"""Running ``chainvision train`` in a subprocess, the way a user would."""

import os
import subprocess
import sys

import torch

from chainvision.app import checkpoint

# One thread: bitwise equality between processes needs the same reduction
# order, and a single thread does not suffer when other tests load the CPU.
ENV = dict(os.environ, OMP_NUM_THREADS='1', PYTHONUNBUFFERED='1')

# A short LeNet-5 run on real MNIST (200 iterations of 64 images), in fp32 on
# every machine.
SHORT_RUN = ['lenet5', '--dataset', 'mnist', '--iterations', '200', '--batch-size', '64',
             '--snapshot-interval', '10', '--log-interval', '100', '--val-split', '1000',
             '--seed', '3', '--device', 'cpu', '--no-progress', '--precision', 'fp32']


def command(*args):
    """The argv of ``python -m chainvision.cli.main ARGS``."""
    return [sys.executable, '-m', 'chainvision.cli.main', *map(str, args)]


def train(*args, timeout=240):
    """Run ``chainvision train ARGS`` to completion; returns the CompletedProcess."""
    result = subprocess.run(command('train', *args), env=ENV, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def start_training(*args):
    """Start ``chainvision train ARGS`` without waiting."""
    return subprocess.Popen(command('train', *args), env=ENV, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def final_weights(out):
    """The ``state_dict`` in ``out/last.pt``."""
    return checkpoint.load_checkpoint(os.path.join(out, 'last.pt'))['state_dict']


def assert_bitwise_equal(first, second):
    assert first.keys() == second.keys()
    for key in first:
        assert torch.equal(first[key], second[key]), key
