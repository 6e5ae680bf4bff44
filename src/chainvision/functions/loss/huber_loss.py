"""The Huber loss (smooth L1)."""

import torch

from chainvision.backend import as_tensors
from chainvision.functions.loss._reduce import check_reduce


def huber_loss(x, t, delta, reduce='sum_along_second_axis'):
    """Elementwise ``d^2 / 2`` where ``|d| <= delta``, else
    ``delta * (|d| - delta / 2)``, for ``d = x - t``.

    Args:
        x, t: arrays of one shape ``(N, K, ...)``.
        delta (float): where the loss turns from quadratic to linear.
        reduce (str): ``'sum_along_second_axis'`` (default, shape
            ``(N, ...)``) or ``'no'`` (elementwise).

    ``torch.nn.functional.huber_loss`` is the same elementwise loss with
    other reductions.
    """
    check_reduce('huber_loss', reduce, ('sum_along_second_axis', 'no'))
    x, t = as_tensors(x, t)
    d = (x - t).abs()
    loss = torch.where(d <= delta, 0.5 * d * d, delta * (d - 0.5 * delta))
    return loss.sum(dim=1) if reduce == 'sum_along_second_axis' else loss
