"""``chainvision predict CHECKPOINT IMAGE...``: the top-k classes of image
files, with their probabilities."""

from chainvision.app import options
from chainvision.app.predict import predict
from chainvision.cli.eval import add_checkpoint_argument, add_precision_argument


def register(subparsers):
    """Add the ``predict`` sub-command."""
    parser = subparsers.add_parser(
        'predict', help='classify image files with a checkpoint (top-k with probabilities)',
        description=__doc__.split('\n\n')[0])
    add_checkpoint_argument(parser)
    parser.add_argument('images', nargs='+', metavar='IMAGE', help='image files')
    parser.add_argument('--top-k', type=options.count_argument, default=5,
                        help='classes to show (default 5)')
    options.add_shared_arguments(parser, ('device',))
    add_precision_argument(parser)
    parser.set_defaults(func=run)


def run(args):
    """Print each image's top-k classes."""
    for path, ranking in zip(args.images, predict(args.checkpoint, args.images, args.top_k,
                                                  args.device, args.precision)):
        print(path)
        for name, probability in ranking:
            print('  {:>7.2%}  {}'.format(probability, name))
    return 0
