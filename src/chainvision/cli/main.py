"""Entry point of the ``chainvision`` command.

Each sub-command lives in its own module of this package, which defines
``register(subparsers)``: it adds its parser and sets ``func`` (called with
the parsed arguments; its return value is the exit status).
"""

import argparse
import importlib
import sys

import chainvision

# Modules of chainvision.cli, in the order their commands appear in --help.
COMMANDS = ('info', 'models', 'summary', 'train', 'eval', 'predict', 'reproduce', 'show_augment')


def build_parser():
    """Return the ``argparse`` parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog='chainvision',
        description='ConvNets the Chainer way, on PyTorch: models, datasets, training.')
    parser.add_argument('--version', action='version',
                        version='chainvision {}'.format(chainvision.__version__))
    subparsers = parser.add_subparsers(dest='command', metavar='COMMAND')
    for name in COMMANDS:
        importlib.import_module('chainvision.cli.' + name).register(subparsers)
    return parser


def main(argv=None):
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return args.func(args) or 0
    except KeyboardInterrupt:
        print('Interrupted.', file=sys.stderr)
        return 130


if __name__ == '__main__':
    sys.exit(main())
