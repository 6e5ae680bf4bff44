"""Run one of Chainer's example scripts as its own ``__main__``, on a subset of its data.

    python tools/chainer_example_launcher.py --framework chainer|chainvision \\
        [--train N] [--test M] [--seed S] -- SCRIPT [ARGS...]

The same launcher runs the original script under real Chainer (in Chainer's
virtual environment) and the import-rewritten copy under chainvision, so both
see the same environment: the random generators seeded with ``S``; the
dataset getters of ``<framework>.datasets`` (``get_mnist``, ``get_cifar10``,
``get_cifar100``) returning the first ``N`` training and ``M`` test examples
(as ``SubDataset``s; the examples have no option for less data, and a CPU
epoch of CIFAR-10 takes too long); ``matplotlib`` on its file-only backend.
The script runs in its own folder with its folder first on ``sys.path``, as
``python SCRIPT ARGS`` would.  Nothing of the script is changed.

Only the standard library is imported here before the framework, so the
launcher works in either environment.
"""

import argparse
import functools
import importlib
import os
import random
import runpy
import sys

DATASET_GETTERS = ('get_mnist', 'get_cifar10', 'get_cifar100')


def _subset(getter, sub_dataset, n_train, n_test):
    """Wrap a ``get_*`` dataset function to cut its (train, test) pair."""
    @functools.wraps(getter)
    def get(*args, **kwargs):
        train, test = getter(*args, **kwargs)
        if n_train is not None:
            train = sub_dataset(train, 0, min(n_train, len(train)))
        if n_test is not None:
            test = sub_dataset(test, 0, min(n_test, len(test)))
        return train, test
    return get


def prepare(framework, n_train, n_test, seed):
    """Seed the generators and cut the datasets of ``framework``."""
    import numpy
    random.seed(seed)
    numpy.random.seed(seed)
    if framework == 'chainvision':
        import torch
        torch.manual_seed(seed)
    datasets = importlib.import_module(framework + '.datasets')
    for name in DATASET_GETTERS:
        setattr(datasets, name, _subset(getattr(datasets, name), datasets.SubDataset,
                                        n_train, n_test))
    import matplotlib
    matplotlib.use('Agg')


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--framework', choices=('chainer', 'chainvision'), required=True)
    parser.add_argument('--train', type=int, help='training examples kept')
    parser.add_argument('--test', type=int, help='test examples kept')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('script')
    parser.add_argument('args', nargs=argparse.REMAINDER)
    options = parser.parse_args(argv)
    prepare(options.framework, options.train, options.test, options.seed)
    script = os.path.abspath(options.script)
    os.chdir(os.path.dirname(script))
    sys.path.insert(0, os.path.dirname(script))
    sys.argv = [script] + options.args
    runpy.run_path(script, run_name='__main__')


if __name__ == '__main__':
    main()
