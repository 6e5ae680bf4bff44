"""``chainvision train MODEL --dataset DATASET``: train a zoo model with its
default or a published recipe, into a run folder.

Every flag left out takes the value of ``--recipe`` if given, else the
model's default for the dataset (:func:`chainvision.app.recipes.default_options`).
``chainvision train --resume RUN`` continues a stopped or killed run.
The training flags are generated from :data:`chainvision.app.options.OPTIONS`.
"""

import os

from chainvision.app import options, recipes
from chainvision.training import distributed


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
    """``--recipe`` and the flags of every command-line option of the table
    (all default to ``None``: "take the recipe's or the model's default")."""
    group = parser.add_argument_group('training options (default: the recipe / model default)')
    group.add_argument('--recipe', choices=sorted(recipes.RECIPES), help='a published recipe')
    options.add_arguments(group)


def run(args):
    """Train, then print the accuracies and where the results are."""
    from chainvision.app.fit import fit
    given = options.given(args)
    if args.resume:
        out = args.resume if isinstance(args.resume, str) else args.out
        if out is None:
            raise ValueError('--resume needs the run folder; give --resume RUN or --out RUN '
                             '--resume')
        fixed = sorted(set(given) - set(options.RESUMABLE)) + (['recipe'] if args.recipe else [])
        if fixed:
            raise ValueError('a resumed run keeps the options in its config.json; drop {} '
                             '(only {} may change)'.format(
                                 ', '.join(map(_flag, fixed)),
                                 ', '.join(map(_flag, options.RESUMABLE))))
        results = fit(args.model, args.dataset, out=out, resume=True, **given)
    else:
        if args.model is None or args.dataset is None:
            raise ValueError('{} is missing; give a MODEL and --dataset (or --resume '
                             'RUN)'.format('MODEL' if args.model is None else '--dataset'))
        results = fit(args.model, args.dataset, out=args.out, recipe=args.recipe, **given)
    # Under torchrun every rank returns the results; rank 0 reports them.
    if distributed.rank_from_environment() == 0:
        print(summary(results))
    return 0


def _flag(name):
    return '--recipe' if name == 'recipe' else options.OPTION[name].cli_flag


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
    files = results.get('files', {})
    weights = [name for name in sorted(files) if name.startswith(('best.', 'last.'))]
    lines.append('  results.json, config.json, log.jsonl, log.csv, {}snapshot{}'.format(
        ''.join(name + ', ' for name in weights),
        ', *.png' if any(f.endswith('.png') for f in files) else ''))
    return '\n'.join(lines)
