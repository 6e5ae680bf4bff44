"""Training speed of the plain command against the PyTorch tutorials' loop:
ResNet-20 on CIFAR-10 (pad-crop-flip) and LeNet-5 on MNIST, batch 128.

chainvision's rows are ``chainvision train resnet20 --dataset cifar10`` and
``chainvision train lenet5 --dataset mnist`` with every default (the he2016
recipe; the precision, layout, threads and compile decision of this
machine), stepped as ``fit`` steps them and timed step by step after 3
warm-up steps: the input pipeline, the non-finite guard, the reporter and
the extensions included.  The peers are ``peers/``: the same networks in
``torch.nn`` trained by the tutorials' loop from a ``DataLoader`` (0 workers,
per-sample torchvision transforms), first as written (fp32, NCHW), then
given the precision and layout chainvision chose (what is ours beyond
precision), then also keeping freed host memory as ``fit`` does
(:mod:`chainvision.app.host_memory`: what is ours beyond precision and
allocator).  Each peer runs in a process of its own, so that it has
PyTorch's defaults as its users have them.  Rows run interleaved; each
row's best round counts.

Run (in the benchmark environment, torch and torchvision installed, on a
machine with nothing else running):

    CHAINVISION_DATASET_ROOT=../shared/data /work/bench-venv/bin/python \\
        benchmarks/train_speed.py --rounds 5

Targets (issue 9): ResNet-20 >= 2.5x and LeNet-5 >= 1.5x the fp32 loop.
Figures: benchmarks/RESULTS.md.
"""

import argparse
import functools

import torch

from chainvision import datasets, models
from chainvision.app import bench, host_memory, options

from peers import lenet5, loop, resnet20


WORKLOADS = {'resnet20': 'cifar10', 'lenet5': 'mnist'}
# workload -> (its peer module, the torch.nn network in it)
PEERS = {'resnet20': (resnet20, resnet20.ResNet20), 'lenet5': (lenet5, lenet5.LeNet5)}


@functools.lru_cache(maxsize=None)
def _peer_loader(workload, batch_size):
    images, labels = datasets.load_arrays(WORKLOADS[workload], 'train')
    return PEERS[workload][0].train_loader(images, labels, batch_size)


def peer_round(workload, batch_size, iterations, device, precision, channels_last, threads,
               keep_memory=False):
    """images/s of the tutorial loop on ``workload``, in a peer process
    (``keep_memory``: which keeps its freed host memory, as ``fit`` does)."""
    if keep_memory:
        host_memory.keep_freed_host_memory()
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    peer, network = PEERS[workload]
    model = network()
    return loop.train(model, _peer_loader(workload, batch_size), peer.optimizer(model),
                      iterations, torch.device(device), precision, channels_last)


def measure(workload, iterations, rounds, device_spec, batch_size=128):
    """The table of one workload."""
    dataset = WORKLOADS[workload]
    config = options.resolve(workload, dataset, None, {'device': device_spec,
                                                       'batch_size': batch_size})
    device = bench.build_device(config['device'])
    ours = (config['precision'], config['channels_last'])
    steps = []

    def fit_steps():
        steps.append(bench.fit_round(workload, dataset, iterations, device=device_spec,
                                     batch_size=batch_size))
        return steps[-1].images_per_s

    with bench.peer_process() as in_peer, bench.peer_process() as in_peer_keeping_memory:
        def peer(precision, channels_last, run=in_peer, keep_memory=False):
            return lambda: run(peer_round, workload, batch_size, iterations, str(device),
                               precision, channels_last, torch.get_num_threads(), keep_memory)
        best = bench.best_rounds({
            'fit': fit_steps, 'fp32': peer('fp32', False), 'same': peer(*ours),
            'same, memory kept': peer(*ours, run=in_peer_keeping_memory, keep_memory=True)},
            rounds)
    layout = 'NHWC' if ours[1] else 'NCHW'
    rows = [bench.Row('chainvision train (defaults: {}, {}, compile {})'.format(
                ours[0], layout, steps[-1].config['compile']), best['fit'], ours[0]),
            bench.Row('PyTorch tutorial loop, fp32 NCHW', best['fp32'], 'fp32', peer=True),
            bench.Row('PyTorch tutorial loop, {} {}'.format(ours[0], layout), best['same'],
                      ours[0], peer=True),
            bench.Row('PyTorch tutorial loop, {} {}, freed host memory kept'.format(
                ours[0], layout), best['same, memory kept'], ours[0], peer=True)]
    title = ('{} on {}, batch {}, {} (fit: {} threads; peers: {}, each in a process of its '
             'own), best of {} interleaved rounds of {} steps').format(
                 workload, dataset, batch_size, device,
                 steps[-1].config['threads'] or torch.get_num_threads(),
                 torch.get_num_threads(), rounds, iterations)
    notes = ['fit: reporter and extensions {:.2%} of a step where nothing is written'.format(
        min(s.quiet_overhead for s in steps))]
    return bench.format_table(title, rows, 6. * models.info(workload).macs,
                              bench.gemm_rates(device), notes, bench.conv_rates(device))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--workload', choices=sorted(WORKLOADS), action='append',
                        help='resnet20 (CIFAR-10) or lenet5 (MNIST); default both')
    parser.add_argument('--iterations', type=int, default=50, help='timed steps per round')
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--batch-size', type=int, default=128)
    parser.add_argument('--device', default='auto')
    parser.add_argument('--threads', type=int, help="the peers' CPU threads (default: "
                        "PyTorch's); fit keeps its own default unless given")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    for workload in args.workload or sorted(WORKLOADS, reverse=True):
        print(measure(workload, args.iterations, args.rounds, args.device, args.batch_size))
        print()


if __name__ == '__main__':
    main()
