"""Sigmoid cross entropy for binary (multi-)labels."""

import torch
import torch.nn.functional as torch_f

from chainvision.backend import as_tensors
from chainvision.functions._shape_check import check_same_shape

IGNORE_LABEL = -1


def sigmoid_cross_entropy(x, t, normalize=True, reduce='mean'):
    """Cross entropy of ``sigmoid(x)`` against binary labels ``t``.

    Args:
        x: logits, float array of shape ``(N, ...)``.
        t: int labels of ``x``'s shape, each 0, 1, or ``-1`` (ignored).
        normalize (bool): with ``reduce='mean'``, divide the summed loss by
            the number of non-ignored labels (True) or by ``N`` (False).
        reduce (str): ``'mean'`` gives a scalar; ``'no'`` the elementwise
            loss, 0 where ignored.

    Returns:
        torch.Tensor: a scalar or an array of ``x``'s shape.
    """
    if reduce not in ('mean', 'no'):
        raise ValueError("reduce must be 'mean' or 'no', got {!r}.".format(reduce))
    x, t = as_tensors(x, t)
    check_same_shape('sigmoid_cross_entropy', x, t)
    valid = t != IGNORE_LABEL
    loss = torch_f.binary_cross_entropy_with_logits(
        x, torch.where(valid, t, torch.zeros_like(t)).to(x.dtype), reduction='none')
    loss = loss * valid.to(x.dtype)
    if reduce == 'no':
        return loss
    count = valid.sum().clamp(min=1) if normalize else max(x.shape[0], 1)
    return loss.sum() / count
