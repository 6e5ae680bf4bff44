"""Exact classification metrics over a whole split: the confusion matrix,
from which accuracy and per-class accuracy follow.

Unlike Chainer's ``Evaluator`` (a mean of per-batch means, which weighs a
short last batch like a full one), these count every example once.
"""

import sys
import time
from typing import Callable, Iterable, Iterator, List, Optional

import torch

from chainvision.configuration import using_config
from chainvision.training.distributed import DistributedContext


def confusion_matrix(predictor: Callable[[torch.Tensor], torch.Tensor], loader, num_classes: int,
                     context: Optional[DistributedContext] = None,
                     progress: Optional[str] = None) -> torch.Tensor:
    """Count ``(true label, predicted label)`` pairs over one pass of
    ``loader``.

    Args:
        predictor (callable): images -> logits ``(B, num_classes)``: a
            module, or :func:`chainvision.models.infer` bound to one.
        loader: a non-repeating iterator of ``(x, t)`` batches on the
            predictor's device (it is ``reset()`` first when it can be).
        num_classes (int): size of the matrix.
        context (DistributedContext or None): when distributed, each rank
            counts its shard of every batch and the counts are summed.
        progress (str or None): what is evaluated (``'the test split'``):
            progress is then shown on stderr (:func:`reported`).

    Returns:
        torch.Tensor: int64 ``(num_classes, num_classes)`` on the CPU; row =
        true class, column = predicted class.
    """
    if hasattr(loader, 'reset'):
        loader.reset()
    counts = None
    with torch.no_grad(), using_config('train', False), using_config('enable_backprop', False):
        for x, t in loader if progress is None else reported(loader, progress):
            if context is not None:
                x, t = context.shard((x, t))
            predicted = predictor(x).argmax(dim=1)
            pairs = t.to(predicted.device) * num_classes + predicted
            batch_counts = torch.bincount(pairs, minlength=num_classes * num_classes)
            counts = batch_counts if counts is None else counts + batch_counts
    if counts is None:
        counts = torch.zeros(num_classes * num_classes, dtype=torch.int64)
    if context is not None:
        counts = context.all_reduce_sum(counts)
    return counts.reshape(num_classes, num_classes).cpu()


def reported(batches: Iterable, description: str) -> Iterator:
    """Yield ``batches``, showing progress on stderr: a bar on a terminal,
    else a line when they start; and a line with the time when they end."""
    started = time.perf_counter()
    if sys.stderr.isatty():
        from tqdm.auto import tqdm
        yield from tqdm(batches, desc='Evaluating ' + description, unit='batch', leave=False,
                        file=sys.stderr, total=len(batches) if hasattr(batches, '__len__')
                        else None)
    else:
        print('Evaluating {}...'.format(description), file=sys.stderr, flush=True)
        yield from batches
    print('Evaluated {} in {:.1f} s'.format(description, time.perf_counter() - started),
          file=sys.stderr, flush=True)


def accuracy(matrix: torch.Tensor) -> float:
    """Fraction of examples on the diagonal of a confusion matrix (float)."""
    total = int(matrix.sum())
    return float(matrix.diagonal().sum()) / total if total else float('nan')


def per_class_accuracy(matrix: torch.Tensor) -> List[float]:
    """Recall of each class: diagonal / row sums (NaN for an empty class);
    a list of floats."""
    rows = matrix.sum(dim=1).double()
    return (matrix.diagonal().double() / rows).tolist()
