"""Group normalization."""

import torch.nn.functional as torch_f

from chainvision.backend import as_tensors
from chainvision.functions._dtypes import in_common_dtype


def group_normalization(x, groups, gamma, beta, eps=1e-5):
    """Normalize each group of ``C / groups`` channels of each example by its
    mean and (biased) variance, then scale and shift per channel.

    Args:
        x: array of shape ``(N, C, ...)``.
        groups (int): number of groups; must divide ``C``.
        gamma, beta: arrays of shape ``(C,)``.
        eps (float): added to the variance.

    Returns:
        torch.Tensor of the shape and dtype of ``x`` (mixed dtypes are
        computed in the promoted one, as in Chainer).
    """
    cast_back, x, gamma, beta = in_common_dtype(*as_tensors(x, gamma, beta))
    if x.ndim < 2 or x.shape[1] % groups:
        raise ValueError('group_normalization: {} channels of x (shape {}) cannot form {} '
                         'groups.'.format(x.shape[1] if x.ndim > 1 else None, tuple(x.shape),
                                          groups))
    return cast_back(torch_f.group_norm(x, groups, gamma, beta, eps))
