"""The cross-covariance loss (Cheung et al. 2015, arXiv 1412.6583)."""

from chainvision.backend import as_tensors
from chainvision.functions.loss._reduce import check_reduce


def cross_covariance(y, z, reduce='half_squared_sum'):
    """Penalty on the covariance between two sets of units, ``y`` ``(N, K)``
    and ``z`` ``(N, L)``: with ``C`` their cross-covariance over the batch
    (divided by ``N``), ``sum(C^2) / 2``.

    Args:
        reduce (str): ``'half_squared_sum'`` (default) or ``'no'`` (the
            matrix ``C``, shape ``(K, L)``).
    """
    check_reduce('cross_covariance', reduce, ('half_squared_sum', 'no'))
    y, z = as_tensors(y, z)
    covariance = (y - y.mean(dim=0, keepdim=True)).T @ (z - z.mean(dim=0, keepdim=True)) / len(y)
    return 0.5 * (covariance * covariance).sum() if reduce == 'half_squared_sum' else covariance
