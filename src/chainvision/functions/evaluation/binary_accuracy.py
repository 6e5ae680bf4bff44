"""Accuracy of elementwise binary predictions."""

import torch

from chainvision.backend import as_tensors
from chainvision.functions._shape_check import check_same_shape


def binary_accuracy(y, t):
    """Fraction of elements whose sign predicts the label: ``y >= 0`` is
    class 1 (``y`` is a logit or any score centred at 0).

    Args:
        y: float scores of any shape.
        t: int labels ``0``/``1`` of the same shape; ``-1`` marks an element
            to leave out of the count.

    Returns:
        torch.Tensor: a scalar of ``y``'s dtype, 0 when every label is
        ``-1``; never differentiable.

    Raises:
        ValueError: when ``y`` and ``t`` differ in shape.
    """
    y, t = as_tensors(y, t)
    check_same_shape('binary_accuracy', y, t)
    with torch.no_grad():
        valid = t != -1
        correct = ((y >= 0) == (t == 1)) & valid
        return correct.sum().to(y.dtype) / valid.sum().clamp(min=1).to(y.dtype)
