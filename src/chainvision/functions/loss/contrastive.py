"""The contrastive loss of siamese networks (Hadsell et al. 2006)."""

import torch

from chainvision.backend import as_tensors
from chainvision.functions.loss._reduce import check_reduce


def contrastive(x0, x1, y, margin=1, reduce='mean'):
    """``(y d^2 + (1 - y) max(0, margin - d)^2) / 2`` with ``d`` the
    Euclidean distance between rows of ``x0`` and ``x1``.

    Args:
        x0, x1: embeddings of shape ``(N, K)``.
        y: int labels of shape ``(N,)``, 1 for a similar pair, 0 for a
            dissimilar one.
        margin (float): the distance beyond which dissimilar pairs cost 0.
        reduce (str): ``'mean'`` (default) or ``'no'`` (shape ``(N,)``).
    """
    check_reduce('contrastive', reduce, ('mean', 'no'))
    if margin <= 0:
        raise ValueError('contrastive: margin should be positive, got {}.'.format(margin))
    x0, x1, y = as_tensors(x0, x1, y)
    dist_sq = ((x0 - x1) ** 2).sum(dim=1)
    hinge = torch.relu(margin - dist_sq.sqrt())
    y = y.to(x0.dtype)
    loss = (y * dist_sq + (1 - y) * hinge * hinge) * 0.5
    return loss.sum() / len(x0) if reduce == 'mean' else loss
