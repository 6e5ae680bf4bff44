"""Does the default precision keep accuracy?  The he2016 recipe's ResNet-20
on CIFAR-10, shortened to a fraction of its 64,000 iterations (the schedule
keeps its shape), trained with 3 seeds in fp32 and in the precision this
machine's ``fit`` chooses by default; the mean test accuracies must lie
within 0.3 points of each other (issue 9).

Both sides keep every other default (channels_last, the compile decision).
Where the default is fp32 (a CPU without AVX-512 BF16 or AMX) there is
nothing to compare: give ``--precision bf16`` to compare the emulated bf16
anyway (correct but several times slower).

Run (the package's environment; 6 runs of 6,400 iterations: about 2.5 h on
the project's 2-core CPU in fp32, less where bf16 is native):

    CHAINVISION_DATASET_ROOT=../shared/data python benchmarks/precision_accuracy.py \\
        --budget 0.1 --seeds 0 1 2 --out runs/precision-accuracy

Figures: benchmarks/RESULTS.md.
"""

import argparse
import json
import os
import statistics
import time

import torch

import chainvision
from chainvision.app import bench, machine

TOLERANCE = 0.3   # points of test accuracy between the two means


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--budget', type=float, default=0.1,
                        help='fraction of the 64k-iteration schedule (at least 0.1)')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--precision', help="the precision compared with fp32 (default: this "
                        "machine's default)")
    parser.add_argument('--device', default='auto')
    parser.add_argument('--out', default='runs/precision-accuracy',
                        help='parent folder of the runs (each run resumes if stopped)')
    args = parser.parse_args()
    device = bench.build_device(args.device)
    if args.budget < 0.1:
        print('budget {} is below the 10% of the schedule the check asks for: a smoke test, '
              'not a result'.format(args.budget))
    other = args.precision or machine.fast_precision(device)
    if other == 'fp32':
        parser.error('the default precision here is fp32: nothing to compare (give '
                     '--precision bf16 to compare the emulated bf16)')
    accuracies = {'fp32': [], other: []}
    for seed in args.seeds:
        for precision in accuracies:       # interleaved, so load affects both alike
            out = os.path.join(args.out, '{}-seed{}'.format(precision, seed))
            start = time.perf_counter()
            results = chainvision.fit('resnet20', 'cifar10', recipe='he2016-cifar',
                                      budget=args.budget, seed=seed, precision=precision,
                                      device=args.device, out=out, progress=False,
                                      resume=os.path.exists(os.path.join(out, 'snapshot')))
            accuracies[precision].append(100. * results['test_accuracy'])
            print('seed {} {}: test accuracy {:.2f}% ({:.0f} s, {:.0f} img/s)'.format(
                seed, precision, accuracies[precision][-1], time.perf_counter() - start,
                results['images_per_s']), flush=True)
    means = {precision: statistics.mean(values) for precision, values in accuracies.items()}
    difference = means[other] - means['fp32']
    print('\nResNet-20, he2016 recipe at budget {} ({} iterations), seeds {}, {} ({} threads)'
          .format(args.budget, int(64000 * args.budget), args.seeds, device,
                  torch.get_num_threads()))
    for precision, values in accuracies.items():
        print('{:>5}: {} -> mean {:.2f}%'.format(
            precision, ', '.join('{:.2f}'.format(v) for v in values), means[precision]))
    verdict = 'within' if abs(difference) <= TOLERANCE else 'NOT within'
    print('{} - fp32 = {:+.2f} points: {} {} points'.format(other, difference, verdict,
                                                            TOLERANCE))
    with open(os.path.join(args.out, 'summary.json'), 'w') as f:
        json.dump({'budget': args.budget, 'seeds': args.seeds, 'accuracies': accuracies,
                   'means': means, 'difference': difference}, f, indent=2)
    return 0 if abs(difference) <= TOLERANCE else 1


if __name__ == '__main__':
    raise SystemExit(main())
