"""``chainvision eval RUN_OR_CHECKPOINT``: accuracy, per-class accuracy and
a confusion-matrix picture of a trained model on a dataset split."""

import os

from chainvision import backend
from chainvision.app import checkpoint as checkpoint_module
from chainvision.app import metrics
from chainvision.utils import plotting


def register(subparsers):
    """Add the ``eval`` sub-command."""
    parser = subparsers.add_parser(
        'eval', help='evaluate a checkpoint: accuracy, per-class accuracy, confusion matrix',
        description=__doc__.split('\n\n')[0])
    add_checkpoint_argument(parser)
    parser.add_argument('--dataset', help='dataset name (default: the one it was trained on)')
    parser.add_argument('--split', default='test', help='split to evaluate (default test)')
    parser.add_argument('--batch-size', type=int, default=1000)
    parser.add_argument('--device', default='auto', help='auto, cpu, cuda, cuda:N')
    parser.add_argument('--out', help='where to write confusion_matrix.png (default: beside '
                        'the checkpoint)')
    parser.set_defaults(func=run)


def add_checkpoint_argument(parser):
    """The positional ``RUN_OR_CHECKPOINT`` argument of eval and predict."""
    parser.add_argument('checkpoint', metavar='RUN_OR_CHECKPOINT',
                        help='a run folder (its best.pt) or a .pt checkpoint')


def evaluate(checkpoint_path, dataset=None, split='test', batch_size=1000, device='auto'):
    """Return ``(checkpoint, confusion matrix)`` of a checkpoint on a split
    of a named dataset (normalised as in training)."""
    from chainvision import datasets
    checkpoint = checkpoint_module.load_checkpoint(checkpoint_path)
    dataset = dataset or checkpoint.get('dataset')
    if not dataset:
        raise ValueError('The checkpoint does not say which dataset it was trained on: pass '
                         '--dataset.')
    device = backend.get_device(device).check_available().torch_device
    model = checkpoint_module.model_from_checkpoint(checkpoint).to(device)
    images, labels = datasets.load_arrays(dataset, split)
    loader = datasets.DeviceLoader(images, labels, batch_size, mean=checkpoint['mean'],
                                   std=checkpoint['std'], shuffle=False, repeat=False,
                                   device=device)
    matrix = metrics.confusion_matrix(model, loader, len(checkpoint['class_names']))
    return checkpoint, matrix


def plot_confusion_matrix(matrix, class_names, path):
    """Save the confusion matrix (rows: true class, columns: predicted),
    normalised per row, as a PNG; returns False without matplotlib."""
    plt = plotting.pyplot()
    if plt is None:
        return False
    rates = (matrix.double() / matrix.sum(dim=1, keepdim=True).clamp(min=1)).numpy()
    size = max(4., 0.45 * len(class_names) + 2)
    figure, axes = plt.subplots(figsize=(size, size))
    image = axes.imshow(rates, cmap='Blues', vmin=0, vmax=1)
    ticks = range(len(class_names))
    axes.set_xticks(ticks, class_names, rotation=90)
    axes.set_yticks(ticks, class_names)
    axes.set_xlabel('predicted')
    axes.set_ylabel('true')
    if len(class_names) <= 20:
        for i in ticks:
            for j in ticks:
                axes.text(j, i, int(matrix[i, j]), ha='center', va='center', fontsize=7,
                          color='white' if rates[i, j] > 0.5 else 'black')
    figure.colorbar(image, fraction=0.046)
    plotting.save_figure(figure, path)
    return True


def run(args):
    """Print the accuracies and write the confusion-matrix picture."""
    checkpoint, matrix = evaluate(args.checkpoint, args.dataset, args.split, args.batch_size,
                                  args.device)
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
