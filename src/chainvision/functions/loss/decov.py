"""The DeCov loss (Cogswell et al. 2016, arXiv 1511.06068)."""

import torch

from chainvision.backend import as_tensor
from chainvision.functions.loss._reduce import check_reduce


def decov(h, reduce='half_squared_sum'):
    """Penalty on the off-diagonal covariances of the hidden units ``h``
    ``(N, K)``: with ``C`` their covariance over the batch (divided by
    ``N``) and its diagonal zeroed, ``sum(C^2) / 2``.

    Args:
        reduce (str): ``'half_squared_sum'`` (default) or ``'no'`` (the
            matrix ``C``, shape ``(K, K)``).
    """
    check_reduce('decov', reduce, ('half_squared_sum', 'no'))
    h = as_tensor(h)
    centered = h - h.mean(dim=0, keepdim=True)
    covariance = centered.T @ centered / len(h)
    covariance = covariance * (1 - torch.eye(h.shape[1], dtype=h.dtype, device=h.device))
    return 0.5 * (covariance * covariance).sum() if reduce == 'half_squared_sum' else covariance
