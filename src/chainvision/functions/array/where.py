"""Elementwise choice between two arrays."""

import torch

from chainvision.backend import as_tensors


def where(condition, x, y):
    """``x`` where ``condition`` is True, ``y`` elsewhere.

    Args:
        condition: bool array.
        x, y: arrays; the three broadcast against each other.

    Returns:
        torch.Tensor of the broadcast shape; gradients flow to ``x`` and
        ``y`` only, never to ``condition``.
    """
    condition, x, y = as_tensors(condition, x, y)
    if condition.dtype != torch.bool:
        raise ValueError('where: condition must be a bool array, got dtype {}.'.format(
            condition.dtype))
    return torch.where(condition, x, y)
