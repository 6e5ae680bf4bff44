"""``chainvision export RUN_OR_CHECKPOINT --format onnx|torchscript|pt2 --out FILE``:
a trained model as a deployable graph from raw pixels (float32 in 0-255, or
uint8 with ``--uint8``) to class probabilities (``--logits``: logits)."""

from chainvision.app.export import FORMATS, export
from chainvision.app.inference import load
from chainvision.cli.eval import add_checkpoint_argument


def _shape(text):
    return tuple(int(d) for d in text.lower().split('x'))


def register(subparsers):
    """Add the ``export`` sub-command."""
    parser = subparsers.add_parser(
        'export', help='write a checkpoint as ONNX, TorchScript or a torch.export program',
        description=__doc__.split('\n\n')[0])
    add_checkpoint_argument(parser)
    parser.add_argument('--format', choices=FORMATS, default='onnx')
    parser.add_argument('--out', required=True, help='the file to write')
    parser.add_argument('--input', type=_shape, metavar='CxHxW',
                        help='input shape (default: the training images\')')
    parser.add_argument('--dynamic-batch', action='store_true',
                        help='any batch size (default: 1)')
    parser.add_argument('--logits', action='store_true',
                        help='output logits instead of probabilities')
    parser.add_argument('--uint8', action='store_true', help='take uint8 pixels')
    parser.set_defaults(func=run)


def run(args):
    """Export and print where the file went."""
    export(load(args.checkpoint), args.out, args.format, input_shape=args.input,
           dynamic_batch=args.dynamic_batch, logits=args.logits,
           input_dtype='uint8' if args.uint8 else 'float32')
    print('Wrote {} ({}, input {} pixels, output {}).'.format(
        args.out, args.format, 'uint8' if args.uint8 else 'float32 0-255',
        'logits' if args.logits else 'probabilities'))
    return 0
