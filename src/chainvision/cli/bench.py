"""``chainvision bench MODEL [--train | --infer]``: how fast a zoo model
trains (``fit`` with the plain command's defaults) or predicts
(``model.predict``) here, against the plain PyTorch loop on the same
network (in a process of its own), with this machine's measured GEMM and
3x3 convolution rates (see :mod:`chainvision.app.bench`)."""

from chainvision.app import bench, options


def register(subparsers):
    """Add the ``bench`` sub-command."""
    parser = subparsers.add_parser(
        'bench', help='training or inference speed of a zoo model against plain PyTorch',
        description=__doc__.split('\n\n')[0])
    parser.add_argument('model', help='model name (see `chainvision models`)')
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument('--train', dest='mode', action='store_const', const='train',
                      help='training throughput (the default)')
    mode.add_argument('--infer', dest='mode', action='store_const', const='infer',
                      help='inference throughput of model.predict')
    parser.add_argument('--batch-size', type=options.count_argument,
                        help='images per step (default: 128 for training, 16 for inference)')
    parser.add_argument('--iterations', type=options.count_argument, default=20,
                        help='timed steps per round')
    parser.add_argument('--rounds', type=options.count_argument, default=3,
                        help='interleaved rounds (the best of each row counts)')
    options.add_shared_arguments(parser, ('device',))
    parser.set_defaults(func=run, mode='train')


def run(args):
    """Print the table."""
    if args.mode == 'infer':
        print(bench.bench_infer(args.model, args.batch_size or 16, args.iterations, args.rounds,
                                args.device))
    else:
        print(bench.bench_train(args.model, args.batch_size or 128, args.iterations,
                                args.rounds, args.device))
    return 0
