"""Per-class precision, recall and F-score."""

import torch

from chainvision.backend import as_tensors


def classification_summary(y, t, label_num=None, beta=1.0, ignore_label=-1):
    """Precision, recall, F-beta score and support of every class, for
    predictions ``argmax(y, axis=1)``.

    Args:
        y: scores of shape ``(N, K)`` or ``(N, K, ...)``.
        t: int labels of shape ``(N,)`` or ``(N, ...)``.
        label_num (int or None): number of classes; default ``max(t) + 1``.
        beta (float): weight of recall in the F-score.
        ignore_label (int): labels left out of every count.

    Returns:
        tuple: ``(precision, recall, fbeta, support)``, each of shape
        ``(label_num,)``; the first three float64 (``nan`` for a class never
        predicted or never present, as NumPy's ``0/0``), ``support`` (the
        number of examples of each class) int64.  Not differentiable.
    """
    y, t = as_tensors(y, t)
    with torch.no_grad():
        t = t.long().reshape(-1)
        if label_num is None:
            label_num = int(t.max()) + 1
        ignored = t == ignore_label
        pred = torch.where(ignored, label_num, y.argmax(dim=1).reshape(-1))
        true = torch.where(ignored, label_num, t)

        def count(labels):
            return torch.bincount(labels, minlength=label_num + 1)[:label_num]

        support, relevant = count(true), count(pred)
        tp = count(torch.where(pred == true, true, label_num))
        precision = tp.double() / relevant
        recall = tp.double() / support
        beta2 = beta * beta
        fbeta = (1 + beta2) * precision * recall / (beta2 * precision + recall)
    return precision, recall, fbeta, support


def precision(y, t, label_num=None, ignore_label=-1):
    """``(precision, support)`` per class; see :func:`classification_summary`."""
    summary = classification_summary(y, t, label_num, ignore_label=ignore_label)
    return summary[0], summary[3]


def recall(y, t, label_num=None, ignore_label=-1):
    """``(recall, support)`` per class; see :func:`classification_summary`."""
    summary = classification_summary(y, t, label_num, ignore_label=ignore_label)
    return summary[1], summary[3]


def f1_score(y, t, label_num=None, ignore_label=-1):
    """``(F1 score, support)`` per class; see :func:`classification_summary`."""
    summary = classification_summary(y, t, label_num, ignore_label=ignore_label)
    return summary[2], summary[3]
