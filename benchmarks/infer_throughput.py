"""Inference speed of ``model.predict`` against torchvision: ResNet-50 at
224x224, batch 16.

chainvision's row is the zoo's ``resnet50`` (torchvision's layout,
``stride_in='3x3'``, with the torchvision network's weights copied in)
called as a user calls it, ``model.predict(x)`` with its defaults: the fast
inference form (BatchNorm folded into the convolutions, in-place ReLU and
residual additions, channels-last; bf16 where the CPU or GPU computes it
natively), float32 probabilities out.  The peers are torchvision's
``resnet50`` as the PyTorch performance-tuning guide runs it: eval mode,
``torch.no_grad()``, channels-last, softmax; first in fp32 (the target),
then in predict's precision under autocast (what is ours beyond precision;
the same row as the first where predict runs fp32).  Rows run interleaved;
each row's best round counts.  The table also gives the largest difference
between predict's probabilities and torchvision's fp32 ones (same weights,
random images) as a check that both compute the same network.

Run (in the benchmark environment, on a machine with nothing else running):

    /work/bench-venv/bin/python benchmarks/infer_throughput.py --rounds 5

Target (issue 9): predict >= 1.3x torchvision channels-last fp32.
Figures: benchmarks/RESULTS.md.
"""

import argparse

import torch
import torchvision

from chainvision import backend, models
from chainvision.app import bench
from chainvision.models.weights.loading import assign_arrays

TORCHVISION_BN_EPS = 1e-5


def networks(device):
    """``(zoo resnet50, torchvision resnet50)`` with the same random
    weights, in eval mode on ``device``."""
    torch.manual_seed(0)
    theirs = torchvision.models.resnet50().eval()
    ours = models.create('resnet50', bn_eps=TORCHVISION_BN_EPS)
    assign_arrays(ours, ours.torchvision_arrays(theirs.state_dict()), 'torchvision resnet50')
    return ours.to(device), theirs.to(device).to(memory_format=torch.channels_last)


def torchvision_forward(network, x, dtype):
    """The tuning guide's inference: channels-last input, no_grad, autocast
    in ``dtype`` (None: fp32), softmax."""
    inputs = x.contiguous(memory_format=torch.channels_last)
    with torch.no_grad(), torch.autocast(x.device.type, dtype=dtype or torch.bfloat16,
                                         enabled=dtype is not None):
        return torch.softmax(network(inputs).float(), dim=1)


def measure(batch_size, size, iterations, rounds, device):
    """The table."""
    ours, theirs = networks(device)
    x = torch.randn(batch_size, 3, size, size, device=device)
    precision = 'bf16' if backend.computes_bf16_natively(device) else 'fp32'
    difference = (ours.predict(x) - torchvision_forward(theirs, x, None)).abs().max()

    def timed(forward):
        def step():
            forward()
            return batch_size
        return lambda: bench.timed_steps(step, iterations, device)

    runs = {'predict': timed(lambda: ours.predict(x)),
            'fp32': timed(lambda: torchvision_forward(theirs, x, None))}
    if precision == 'bf16':
        runs['bf16'] = timed(lambda: torchvision_forward(theirs, x, torch.bfloat16))
    best = bench.best_rounds(runs, rounds)
    rows = [bench.Row('chainvision model.predict ({})'.format(precision), best['predict'],
                      precision),
            bench.Row('torchvision resnet50, channels-last, fp32', best['fp32'], peer=True)]
    if precision == 'bf16':
        rows.append(bench.Row('torchvision resnet50, channels-last, bf16 autocast',
                              best['bf16'], 'bf16', peer=True))
    title = 'ResNet-50 inference, {}x{}, batch {}, {} ({} threads), best of {} rounds of {} ' \
            'batches'.format(size, size, batch_size, device, torch.get_num_threads(), rounds,
                             iterations)
    notes = ['largest |predict - torchvision fp32| probability: {:.2e} (same weights, random '
             'images)'.format(float(difference))]
    macs = models.count_macs(ours, (3, size, size))
    return bench.format_table(title, rows, 2. * macs, bench.gemm_rates(device), notes,
                              bench.conv_rates(device))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument('--size', type=int, default=224, help='image size (default 224)')
    parser.add_argument('--iterations', type=int, default=10, help='timed batches per round')
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--threads', type=int, help="CPU threads (default: PyTorch's)")
    parser.add_argument('--device', default='cpu')
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    print(measure(args.batch_size, args.size, args.iterations, args.rounds,
                  bench.build_device(args.device)))


if __name__ == '__main__':
    main()
