"""The cost of the Chainer API: the tutorial's LeNet-5 and ResNet-20 as the
zoo writes them with chainvision's links (``L.Convolution2D``,
``L.BatchNormalization``, ``F.max_pooling_2d``...) against the same
networks written with ``torch.nn`` (``peers/``), trained by the same plain
PyTorch step on the same fixed batch, interleaved.

Run (benchmark environment, nothing else running on the machine):

    /work/bench-venv/bin/python benchmarks/api_overhead.py --rounds 5

Target (issue 9): chainvision / torch.nn >= 0.97 for both networks.
Figures: benchmarks/RESULTS.md.
"""

import argparse

import torch

from chainvision import models
from chainvision.app import bench, machine

from peers import lenet5, resnet20

NETWORKS = {'lenet5': lenet5.LeNet5, 'resnet20': resnet20.ResNet20}


def _parameters(network):
    return sum(p.numel() for p in network.parameters())


def measure(name, batch_size, iterations, rounds, device, precision, channels_last):
    """The table of one network."""
    torch.manual_seed(0)
    ours, theirs = models.create(name).to(device), NETWORKS[name]().to(device)
    if _parameters(ours) != _parameters(theirs):
        raise AssertionError('{}: {} parameters in the zoo, {} in torch.nn'.format(
            name, _parameters(ours), _parameters(theirs)))
    shape = models.info(name).input_size
    x = torch.randn(batch_size, *shape, device=device)
    t = torch.randint(0, 10, (batch_size,), device=device)
    runs = {}
    for label, network in (('chainvision', ours), ('torch.nn', theirs)):
        step = bench.plain_training_step(network, x, t, precision, channels_last)
        runs[label] = (lambda step=step: bench.timed_steps(step, iterations, device))
    best = bench.best_rounds(runs, rounds)
    layout = 'NHWC' if channels_last else 'NCHW'
    rows = [bench.Row('{} with chainvision links'.format(name), best['chainvision'], precision),
            bench.Row('{} with torch.nn'.format(name), best['torch.nn'], precision, peer=True)]
    title = ('{}: the same plain PyTorch step, batch {}, {} {}, {} ({} threads), best of {} '
             'interleaved rounds of {} steps').format(name, batch_size, precision, layout,
                                                      device, torch.get_num_threads(), rounds,
                                                      iterations)
    return bench.format_table(title, rows, 6. * models.info(name).macs, bench.gemm_rates(device),
                              convolution_rates=bench.conv_rates(device))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--network', choices=sorted(NETWORKS), action='append',
                        help='default: both')
    parser.add_argument('--batch-size', type=int, default=128)
    parser.add_argument('--iterations', type=int, default=50, help='timed steps per round')
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--device', default='auto')
    parser.add_argument('--threads', type=int, help="CPU threads (default: PyTorch's)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    device = bench.build_device(args.device)
    # Both in fp32 NCHW (the API alone), then in fit's defaults for this machine.
    settings = [('fp32', False), (machine.fast_precision(device),
                                  machine.channels_last_pays(device))]
    for name in args.network or sorted(NETWORKS):
        for precision, channels_last in dict.fromkeys(settings):
            print(measure(name, args.batch_size, args.iterations, args.rounds, device, precision,
                          channels_last))
            print()


if __name__ == '__main__':
    main()
