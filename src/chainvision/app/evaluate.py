"""Evaluating a trained model: the confusion matrix of a checkpoint on a
dataset split, and its picture (what ``chainvision eval`` prints and draws)."""

import functools
from typing import Any, Dict, Optional, Sequence, Tuple

import torch

from chainvision import backend
from chainvision import datasets, models
from chainvision.app import checkpoint as checkpoint_module
from chainvision.app import metrics
from chainvision.app.host_memory import keep_freed_host_memory
from chainvision.utils import plotting


def evaluate(checkpoint_path, dataset: Optional[str] = None, split: str = 'test',
             batch_size: int = 1000, device: str = 'auto', verify: bool = False,
             precision: str = 'auto') -> Tuple[Dict[str, Any], torch.Tensor]:
    """Return ``(checkpoint, confusion matrix)`` of a checkpoint on a split
    of a named dataset (normalised as in training), computed by the
    network's fast inference form (:func:`chainvision.models.infer`).
    The process keeps its freed host memory from then on, as in ``fit``.

    Args:
        checkpoint_path: a run folder (its ``best.pt``) or a ``.pt`` file.
        dataset: a dataset name (default: the one it was trained on).
        split: the split to evaluate.
        batch_size: images per evaluation batch.
        device: a :func:`chainvision.backend.get_device` specifier.
        verify: hash the dataset's cached arrays whole before use.
        precision: one of :data:`chainvision.models.PRECISIONS`: ``'auto'``
            (the default: bf16 where the device computes it natively, else
            fp32), ``'fp32'``, ``'bf16'`` or ``'fp16'``.

    Returns:
        tuple: the checkpoint dict and an int64 ``(K, K)`` confusion
        matrix (row = true class).

    Raises:
        ValueError: the split's images are not of the shape the model was
            trained on (the message gives both).
    """
    keep_freed_host_memory()
    checkpoint = checkpoint_module.load_checkpoint(checkpoint_path)
    dataset = dataset or checkpoint.get('dataset')
    if not dataset:
        raise ValueError('The checkpoint does not say which dataset it was trained on: pass '
                         '--dataset.')
    device = backend.get_device(device).check_available().torch_device
    model = checkpoint_module.model_from_checkpoint(checkpoint).to(device)
    images, labels = datasets.load_arrays(dataset, split, verify)
    expected, given = tuple(checkpoint['image_shape']), tuple(images.shape[1:])
    if expected != given:
        raise ValueError('the model takes {} images (it was trained on {}), but {} {} has {} '
                         'images; evaluate it on a dataset of {} images'.format(
                             _shape(expected), checkpoint.get('dataset'), dataset, split,
                             _shape(given), _shape(expected)))
    loader = datasets.DeviceLoader(images, labels, batch_size, mean=checkpoint['mean'],
                                   std=checkpoint['std'], shuffle=False, repeat=False,
                                   device=device)
    matrix = metrics.confusion_matrix(functools.partial(models.infer, model, precision=precision),
                                      loader, len(checkpoint['class_names']),
                                      progress='{} {} ({:,} images)'.format(dataset, split,
                                                                           len(labels)))
    return checkpoint, matrix


def _shape(shape):
    return 'x'.join(str(d) for d in shape)


def plot_confusion_matrix(matrix: torch.Tensor, class_names: Sequence[str], path: str) -> bool:
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
