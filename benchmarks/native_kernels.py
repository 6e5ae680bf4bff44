"""chainvision's native CPU kernels (``chainvision.native``) against the
PyTorch operations they replace, forward and backward, channels-last, in
bfloat16 and float32, keeping freed host memory as ``fit`` does:

- BatchNorm, residual addition and ReLU between two convolutions (PyTorch's
  three operations against ``F.batch_normalization(x, ..., residual=r,
  relu=True)``) on ResNet-20's three stage shapes at batch 128;
- max pooling of few channels (``torch.nn.functional.max_pool2d`` against
  ``F.max_pooling_2d``) on LeNet-5's first pooling at batch 128, and with
  overlapping 3x3 windows on the same array.

Run (nothing else running on the machine):

    python benchmarks/native_kernels.py --rounds 5

Figures: benchmarks/RESULTS.md.
"""

import argparse
import time

import torch
import torch.nn.functional as torch_f

import chainvision.functions as F
from chainvision import native
from chainvision.app import host_memory


def _channels_last(shape, dtype, requires_grad=False):
    return (torch.randn(shape).to(dtype).contiguous(memory_format=torch.channels_last)
            .requires_grad_(requires_grad))


def _batch_norm_step(shape, dtype, fused):
    """A forward and backward pass of BN + add + ReLU on fixed random arrays."""
    channels = shape[1]
    x, residual = _channels_last(shape, dtype, True), _channels_last(shape, dtype, True)
    dy = _channels_last(shape, dtype)
    gamma = torch.ones(channels, requires_grad=True)
    beta = torch.zeros(channels, requires_grad=True)
    mean, var = torch.zeros(channels), torch.ones(channels)

    def step():
        if fused:
            y = F.batch_normalization(x, gamma, beta, 2e-5, mean, var, 0.9, residual=residual,
                                      relu=True)
        else:
            y = torch.relu_(torch_f.batch_norm(x, mean, var, gamma, beta, True, 0.1, 2e-5)
                            .add_(residual))
        # The gradients returned, not accumulated into .grad (an extra pass).
        torch.autograd.grad(y, (x, residual, gamma, beta), dy)
    return step


def _max_pooling_step(shape, dtype, native_pass, ksize=2, stride=2, pad=0):
    """A forward and backward pass of a max pooling on a fixed random array."""
    x = _channels_last(shape, dtype, True)
    pooling = F.max_pooling_2d if native_pass else (
        lambda x, k, s, p: torch_f.max_pool2d(x, k, s, p, ceil_mode=True))
    dy = torch.randn_like(pooling(x, ksize, stride, pad).detach())

    def step():
        torch.autograd.grad(pooling(x, ksize, stride, pad), x, dy)
    return step


# (kernel, shape, description, make a step: (dtype, native) -> step)
CASES = [('BatchNorm + add + ReLU', shape, '', lambda dtype, fused, shape=shape:
          _batch_norm_step(shape, dtype, fused))
         for shape in [(128, 16, 32, 32), (128, 32, 16, 16), (128, 64, 8, 8)]] + [
    ('max pooling', (128, 6, 24, 24), '2x2, stride 2',
     lambda dtype, native_pass: _max_pooling_step((128, 6, 24, 24), dtype, native_pass)),
    ('max pooling', (128, 6, 24, 24), '3x3, stride 2, pad 1',
     lambda dtype, native_pass: _max_pooling_step((128, 6, 24, 24), dtype, native_pass, 3, 2, 1)),
]


def _microseconds(step, iterations):
    step()
    start = time.perf_counter()
    for _ in range(iterations):
        step()
    return (time.perf_counter() - start) / iterations * 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--iterations', type=int, default=50)
    parser.add_argument('--rounds', type=int, default=3)
    args = parser.parse_args()
    # As fit does: without it each step maps its fresh arrays in from the
    # kernel again, which times page faults rather than either side.
    host_memory.keep_freed_host_memory()
    for name in native.KERNELS:
        reason = native.unavailable_reason(name)
        if reason is not None:
            raise SystemExit('the native kernel {} does not run here: {}'.format(name, reason))
    print('Forward and backward, channels-last, {} threads, best of {} interleaved rounds of '
          '{} steps (us per step)'.format(torch.get_num_threads(), args.rounds, args.iterations))
    print('| kernel | shape | dtype | PyTorch | chainvision (native) | x |')
    print('| --- | --- | --- | ---: | ---: | ---: |')
    for kernel, shape, description, make_step in CASES:
        for dtype in (torch.bfloat16, torch.float32):
            steps = {'pytorch': make_step(dtype, False), 'chainvision': make_step(dtype, True)}
            best = dict.fromkeys(steps, float('inf'))
            for _ in range(args.rounds):
                for name, step in steps.items():
                    best[name] = min(best[name], _microseconds(step, args.iterations))
            print('| {} | {}{} | {} | {:,.0f} | {:,.0f} | {:.2f} |'.format(
                kernel, 'x'.join(map(str, shape)), ', ' + description if description else '',
                str(dtype).replace('torch.', ''), best['pytorch'], best['chainvision'],
                best['pytorch'] / best['chainvision']))


if __name__ == '__main__':
    main()
