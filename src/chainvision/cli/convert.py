"""``chainvision convert SRC DST [--model NAME] [--num-classes K]``: a weight
file (a checkpoint or run folder, torchvision's or timm's ``.pth`` or
``.safetensors``, a Caffe ``.caffemodel``, Chainer's ``.npz``) written as a
chainvision checkpoint: ``.pt``, ``.safetensors`` or Chainer's ``.npz`` (see
:mod:`chainvision.app.convert`)."""

from chainvision.app import options
from chainvision.app.convert import convert


def register(subparsers):
    """Add the ``convert`` sub-command."""
    parser = subparsers.add_parser(
        'convert', help='convert weights (caffemodel, npz, .pth, .safetensors, checkpoints) to '
                        'a checkpoint in .pt, .safetensors or .npz',
        description=__doc__.split('\n\n')[0])
    parser.add_argument('source', metavar='SRC', help='a weight file or a run folder')
    parser.add_argument('destination', metavar='DST', help='a .pt, .safetensors or .npz file')
    parser.add_argument('--model', help='the zoo model SRC holds (needed unless SRC is a '
                        'chainvision checkpoint)')
    parser.add_argument('--num-classes', type=options.count_argument, metavar='K',
                        help="classes of the model (default: the weights'); another number "
                             "than published weights' gets a new classifier")
    parser.set_defaults(func=run)


def run(args):
    """Convert and print what was written."""
    kwargs = {} if args.num_classes is None else {'num_classes': args.num_classes}
    description = convert(args.source, args.destination, args.model, **kwargs)
    print('Wrote {} ({}, {} classes, input {}).'.format(
        args.destination, description['model'], len(description['class_names']),
        'x'.join(str(d) for d in description['image_shape'])))
    return 0
