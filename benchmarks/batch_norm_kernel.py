"""BatchNorm, residual addition and ReLU between two convolutions: PyTorch's
three operations against chainvision's native pass
(``F.batch_normalization(x, ..., residual=r, relu=True)``,
``chainvision.native``), forward and backward, on ResNet-20's three stage
shapes at batch 128, channels-last, in float32 and bfloat16, keeping freed
host memory as ``fit`` does.

Run (nothing else running on the machine):

    python benchmarks/batch_norm_kernel.py --rounds 5

Figures: benchmarks/RESULTS.md.
"""

import argparse
import time

import torch
import torch.nn.functional as torch_f

import chainvision.functions as F
from chainvision import native
from chainvision.app import host_memory

SHAPES = [(128, 16, 32, 32), (128, 32, 16, 16), (128, 64, 8, 8)]


def _pytorch(x, residual, gamma, beta, mean, var):
    return torch.relu_(torch_f.batch_norm(x, mean, var, gamma, beta, True, 0.1, 2e-5)
                       .add_(residual))


def _chainvision(x, residual, gamma, beta, mean, var):
    return F.batch_normalization(x, gamma, beta, 2e-5, mean, var, 0.9, residual=residual,
                                 relu=True)


def _step(function, shape, dtype):
    """A forward and backward pass of ``function`` on fixed random arrays."""
    channels = shape[1]
    x, residual, dy = (torch.randn(shape).to(dtype).contiguous(memory_format=torch.channels_last)
                       for _ in range(3))
    x.requires_grad_()
    residual.requires_grad_()
    gamma = torch.ones(channels, requires_grad=True)
    beta = torch.zeros(channels, requires_grad=True)
    mean, var = torch.zeros(channels), torch.ones(channels)

    def step():
        # The gradients returned, not accumulated into .grad (an extra pass).
        torch.autograd.grad(function(x, residual, gamma, beta, mean, var),
                            (x, residual, gamma, beta), dy)
    return step


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
    reason = native.unavailable_reason('batch_norm')
    if reason is not None:
        raise SystemExit('the native kernel does not run here: {}'.format(reason))
    print('BatchNorm + residual addition + ReLU, forward and backward, channels-last, '
          '{} threads, best of {} interleaved rounds of {} steps (us per step)'.format(
              torch.get_num_threads(), args.rounds, args.iterations))
    print('| shape | dtype | PyTorch (3 ops) | chainvision (1 pass) | x |')
    print('| --- | --- | ---: | ---: | ---: |')
    for dtype in (torch.bfloat16, torch.float32):
        for shape in SHAPES:
            steps = {'pytorch': _step(_pytorch, shape, dtype),
                     'chainvision': _step(_chainvision, shape, dtype)}
            best = dict.fromkeys(steps, float('inf'))
            for _ in range(args.rounds):
                for name, step in steps.items():
                    best[name] = min(best[name], _microseconds(step, args.iterations))
            print('| {} | {} | {:,.0f} | {:,.0f} | {:.2f} |'.format(
                'x'.join(map(str, shape)), str(dtype).replace('torch.', ''), best['pytorch'],
                best['chainvision'], best['pytorch'] / best['chainvision']))


if __name__ == '__main__':
    main()
