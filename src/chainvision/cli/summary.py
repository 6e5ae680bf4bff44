"""``chainvision summary NAME``: a model's layers, one line each, with output
shape, parameters and multiply-accumulates (like Keras's ``summary()``)."""

import argparse

import torch

from chainvision import models
from chainvision.cli.models import format_macs, format_shape, render_table


def parse_input_size(text):
    """``'3x32x32'`` -> ``(3, 32, 32)``; argparse type of ``--input``."""
    parts = text.lower().split('x')
    if len(parts) != 3 or not all(p.isdigit() and int(p) > 0 for p in parts):
        raise argparse.ArgumentTypeError(
            'expected CHANNELSxHEIGHTxWIDTH such as 3x32x32, got {!r}'.format(text))
    return tuple(int(p) for p in parts)


def summary(name, input_size=None, **hparams):
    """The text ``chainvision summary`` prints for model ``name``.

    Args:
        name (str): a registered model.
        input_size (tuple): ``(C, H, W)``; default the model's own.  A
            channel count other than the default is passed to the model as
            ``in_channels``.
        **hparams: further hyper-parameters for :func:`chainvision.models.create`.

    The model is built on PyTorch's ``meta`` device: nothing is allocated
    or computed, so even VGG-16 is summarized at once.
    """
    info = models.info(name)
    input_size = tuple(input_size or info.input_size or ())
    if len(input_size) != 3:
        raise ValueError('Model {!r} was registered without an input size: give one with '
                         '--input CxHxW.'.format(name))
    if info.input_size is not None and input_size[0] != info.input_size[0]:
        hparams.setdefault('in_channels', input_size[0])
    with torch.device('meta'):
        model = models.create(name, **hparams)
    rows = models.layer_table(model, input_size)
    table = render_table(
        ['layer', 'type', 'output', 'params', 'MACs'],
        [[row.path, row.type, format_shape(row.output_shape), '{:,}'.format(row.params),
          format_macs(row.macs)] for row in rows],
        right_aligned=(3, 4))
    params = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    lines = [
        '{} ({}), input {}'.format(name, type(model).__name__, format_shape(input_size)),
        '',
        table,
        '',
        'Total parameters:     {:,}'.format(params),
        'Trainable parameters: {:,}'.format(trainable),
        'Total MACs:           {} ({:,}) per image'.format(
            format_macs(sum(row.macs for row in rows)), sum(row.macs for row in rows)),
        'Links are listed in call order; functions (activations, pooling) are not.',
    ]
    return '\n'.join(lines)


def run(args):
    """Print the summary (a bad name or size is a usage error, reported by
    :func:`chainvision.cli.main.main`)."""
    hparams = {} if args.num_classes is None else {'num_classes': args.num_classes}
    print(summary(args.name, args.input, **hparams))
    return 0


def register(subparsers):
    """Add the ``summary`` sub-command."""
    parser = subparsers.add_parser(
        'summary', help="print a model's layers with output shapes, parameters and MACs",
        description='Print the layers of a zoo model in call order with output shape, '
                    'parameters and multiply-accumulates for one image.')
    parser.add_argument('name', metavar='NAME', help='a model name (see `chainvision models`)')
    parser.add_argument('--input', type=parse_input_size, metavar='CxHxW',
                        help="input image size, e.g. 3x32x32 (default: the model's own)")
    parser.add_argument('--num-classes', type=int, metavar='N',
                        help="number of classes (default: the model's own)")
    parser.set_defaults(func=run)
