"""The triplet loss (Schroff et al. 2015, FaceNet)."""

import torch

from chainvision.backend import as_tensors
from chainvision.functions.loss._reduce import check_reduce


def triplet(anchor, positive, negative, margin=0.2, reduce='mean'):
    """``max(0, |a - p|^2 - |a - n|^2 + margin)`` per row.

    Args:
        anchor, positive, negative: embeddings of shape ``(N, K)``.
        margin (float): the required gap between the squared distances.
        reduce (str): ``'mean'`` (default) or ``'no'`` (shape ``(N,)``).
    """
    check_reduce('triplet', reduce, ('mean', 'no'))
    if margin <= 0:
        raise ValueError('triplet: margin should be positive, got {}.'.format(margin))
    anchor, positive, negative = as_tensors(anchor, positive, negative)
    dist = ((anchor - positive) ** 2 - (anchor - negative) ** 2).sum(dim=1) + margin
    loss = torch.relu(dist)
    return loss.sum() / len(anchor) if reduce == 'mean' else loss
