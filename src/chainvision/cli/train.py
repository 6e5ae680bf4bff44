"""``chainvision train MODEL --dataset DATASET``: train a zoo model with its
default or a published recipe, into a run folder.

Every flag left out takes the value of ``--recipe`` if given, else the
model's default for the dataset (:func:`chainvision.training.recipes.default_options`).
``chainvision train --resume RUN`` continues a stopped or killed run.
"""

import os

from chainvision.training import recipes


def register(subparsers):
    """Add the ``train`` sub-command."""
    parser = subparsers.add_parser(
        'train', help='train a model on a dataset (writes a run folder)',
        description=__doc__.split('\n\n')[0])
    parser.add_argument('model', nargs='?', help='model name (see `chainvision models`)')
    parser.add_argument('--dataset', help='mnist, fashion_mnist, cifar10, cifar100, or a folder '
                        'of class sub-folders (optionally split into train/ and test/)')
    add_training_options(parser)
    parser.add_argument('--out', help='run folder (default runs/MODEL-DATASET-TIME)')
    parser.add_argument('--resume', nargs='?', const=True, metavar='RUN',
                        help='continue the run in RUN (or in --out) from its snapshot')
    parser.set_defaults(func=run)


def add_training_options(parser):
    """The options shared by ``train`` and ``reproduce`` (all default to
    ``None``: "take the recipe's or the model's default")."""
    group = parser.add_argument_group('training options (default: the recipe / model default)')
    group.add_argument('--recipe', choices=sorted(recipes.RECIPES), help='a published recipe')
    length = group.add_mutually_exclusive_group()
    length.add_argument('--epochs', type=float, help='length of the run in epochs')
    length.add_argument('--iterations', type=int, help='length of the run in iterations')
    group.add_argument('--batch-size', type=int, help='global batch size')
    group.add_argument('--optimizer', choices=('sgd', 'momentum_sgd', 'nesterov', 'adam',
                                               'adamw', 'rmsprop', 'adagrad'))
    group.add_argument('--lr', type=float, help='(peak) learning rate; Adam: alpha')
    group.add_argument('--momentum', type=float)
    group.add_argument('--weight-decay', type=float,
                       help='L2 (SGD family) or decoupled decay (AdamW, as torch.optim.AdamW)')
    group.add_argument('--schedule', choices=('constant', 'multistep', 'cosine', 'one-cycle'))
    group.add_argument('--milestones', type=float, nargs='+', metavar='FRACTION',
                       help='multistep: where the lr drops, as fractions of the run')
    group.add_argument('--gamma', type=float, help='multistep: factor at each milestone')
    group.add_argument('--warmup', type=int, dest='warmup_iterations', metavar='ITERATIONS',
                       help='linear warm-up over this many iterations')
    group.add_argument('--label-smoothing', type=float)
    group.add_argument('--augment', help="batched augmentation, e.g. 'crop4,flip', "
                       "'flip,rrc0.8-1.0:0.9-1.1', 'none'")
    group.add_argument('--normalize', choices=('mean-std', 'pixel-mean', 'none'))
    group.add_argument('--val-split', type=int, metavar='N',
                       help='hold out N training examples for validation')
    group.add_argument('--seed', type=int)
    group.add_argument('--device', help='auto (default), cpu, cuda, cuda:N')
    group.add_argument('--threads', type=int,
                       help='CPU threads (default: the model\'s default, else PyTorch\'s)')
    group.add_argument('--precision', choices=('fp32', 'bf16', 'fp16'),
                       help='autocast dtype (fp16 scales the loss)')
    group.add_argument('--channels-last', action='store_true', default=None)
    group.add_argument('--compile', action='store_true', default=None,
                       help='torch.compile the model')
    group.add_argument('--snapshot-interval', type=int, metavar='ITERATIONS',
                       help='snapshot every N iterations (default: every epoch)')
    group.add_argument('--log-interval', type=int, metavar='ITERATIONS',
                       help='validate and log every N iterations (default: every epoch)')
    group.add_argument('--no-progress', dest='progress', action='store_false', default=None,
                       help='no progress bar or per-epoch table')


# The argparse destinations that are fit() options.
FIT_OPTIONS = ('epochs', 'iterations', 'batch_size', 'optimizer', 'lr', 'momentum',
               'weight_decay', 'schedule', 'milestones', 'gamma', 'warmup_iterations',
               'label_smoothing', 'augment', 'normalize', 'val_split', 'seed', 'device',
               'precision', 'channels_last', 'compile', 'snapshot_interval', 'log_interval',
               'progress', 'threads')


def fit_options(args):
    """The fit() keyword arguments the user gave on the command line."""
    options = {key: getattr(args, key) for key in FIT_OPTIONS if getattr(args, key) is not None}
    if isinstance(options.get('epochs'), float) and options['epochs'].is_integer():
        options['epochs'] = int(options['epochs'])
    return options


def run(args):
    """Train, then print the accuracies and where the results are."""
    from chainvision.training.fit import RESUME_OPTIONS, fit
    if args.resume:
        out = args.resume if isinstance(args.resume, str) else args.out
        if out is None:
            raise SystemExit('chainvision train: --resume needs the run folder: '
                             '--resume RUN or --out RUN --resume.')
        fixed = sorted(set(fit_options(args)) - set(RESUME_OPTIONS)) + (
            ['recipe'] if args.recipe else [])
        if fixed:
            raise SystemExit('chainvision train: a resumed run keeps the options in its '
                             'config.json; drop {} (only {} may change).'.format(
                                 ', '.join(map(_flag, fixed)),
                                 ', '.join(map(_flag, RESUME_OPTIONS))))
        results = fit(args.model, args.dataset, out=out, resume=True, **{
            k: v for k, v in fit_options(args).items() if k in RESUME_OPTIONS})
    else:
        if args.model is None or args.dataset is None:
            raise SystemExit('chainvision train: give a MODEL and --dataset (or --resume RUN).')
        results = fit(args.model, args.dataset, out=args.out, recipe=args.recipe,
                      **fit_options(args))
    # Under torchrun every rank returns the results; rank 0 reports them.
    if int(os.environ.get('RANK', '0')) == 0:
        print(summary(results))
    return 0


def _flag(option):
    """The command-line flag of a fit() option."""
    special = {'progress': '--no-progress', 'warmup_iterations': '--warmup'}
    return special.get(option, '--' + option.replace('_', '-'))


def summary(results):
    """A few lines: the accuracies, the time, and where the files are."""
    lines = []
    if 'test_accuracy' in results:
        lines.append('Test accuracy       {:.2%}'.format(results['test_accuracy']))
    if 'val_accuracy' in results:
        lines.append('Validation accuracy {:.2%}'.format(results['val_accuracy']))
    if 'best_test_accuracy' in results:
        lines.append('Best checkpoint     {:.2%} validation, {:.2%} test (iteration {})'.format(
            results['best_val_accuracy'], results['best_test_accuracy'],
            results['best_iteration']))
    lines.append('Trained {} iterations ({} epochs) in {:.1f} s, {:.0f} images/s'.format(
        results['iterations'], results['epochs'], results['train_time_s'],
        results['images_per_s']))
    out = results['out']
    lines.append('Results in {}{}'.format(os.path.relpath(out) if not os.path.relpath(
        out).startswith('..') else out, os.sep))
    lines.append('  results.json, config.json, log.jsonl, log.csv, best.pt, last.pt, snapshot'
                 '{}'.format(', *.png' if any(f.endswith('.png') for f in results.get('files', {}))
                             else ''))
    return '\n'.join(lines)
