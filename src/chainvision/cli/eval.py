"""``chainvision eval RUN_OR_CHECKPOINT``: accuracy, per-class accuracy and
a confusion-matrix picture of a trained model on a dataset split."""

import os

from chainvision import models
from chainvision.app import metrics, options
from chainvision.app.evaluate import evaluate, plot_confusion_matrix


def register(subparsers):
    """Add the ``eval`` sub-command."""
    parser = subparsers.add_parser(
        'eval', help='evaluate a checkpoint: accuracy, per-class accuracy, confusion matrix',
        description=__doc__.split('\n\n')[0])
    add_checkpoint_argument(parser)
    parser.add_argument('--dataset', help='dataset name (default: the one it was trained on)')
    parser.add_argument('--split', default='test', help='split to evaluate (default test)')
    options.add_shared_arguments(parser, ('eval_batch_size', 'device', 'verify'),
                                 flags={'eval_batch_size': '--batch-size'})
    add_precision_argument(parser)
    parser.add_argument('--out', help='where to write confusion_matrix.png (default: beside '
                        'the checkpoint)')
    parser.set_defaults(func=run)


def add_checkpoint_argument(parser):
    """The positional ``RUN_OR_CHECKPOINT`` argument of eval and predict."""
    parser.add_argument('checkpoint', metavar='RUN_OR_CHECKPOINT',
                        help='a run folder (its best checkpoint) or a checkpoint file (.pt, '
                             '.safetensors or .npz)')


def add_precision_argument(parser):
    """The ``--precision`` flag of eval and predict: one of
    :data:`chainvision.models.PRECISIONS` (``fit``'s precisions and
    ``'auto'``), default ``'auto'``; the value lands in ``args.precision``."""
    parser.add_argument('--precision', choices=models.PRECISIONS, default='auto',
                        help='precision of the fast inference form (default auto: bf16 where '
                             'the device computes it natively, else fp32; fp16 is for GPUs, '
                             'emulated on most CPUs)')


def run(args):
    """Print the accuracies and write the confusion-matrix picture."""
    checkpoint, matrix = evaluate(args.checkpoint, args.dataset, args.split,
                                  args.eval_batch_size, args.device, args.verify,
                                  args.precision)
    names = checkpoint['class_names']
    print('Accuracy {:.2%} on {} {} ({} images)'.format(
        metrics.accuracy(matrix), args.dataset or checkpoint['dataset'], args.split,
        int(matrix.sum())))
    width = max(len(name) for name in names)
    for name, value, count in zip(names, metrics.per_class_accuracy(matrix), matrix.sum(dim=1)):
        print('  {:<{}}  {:7.2%}  ({} images)'.format(name, width, value, int(count)))
    folder = args.out or (args.checkpoint if os.path.isdir(args.checkpoint)
                          else os.path.dirname(os.path.abspath(args.checkpoint)))
    path = os.path.join(folder, 'confusion_matrix.png')
    if plot_confusion_matrix(matrix, names, path):
        print('Confusion matrix: {}'.format(path))
    return 0
