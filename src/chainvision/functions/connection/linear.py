"""Fully-connected (linear) layer function."""

import math

import torch.nn.functional as torch_f

from chainvision.backend import as_tensors
from chainvision.functions._dtypes import in_common_dtype
from chainvision.utils.type_check import InvalidType


def linear(x, W, b=None, n_batch_axes=1):
    """``x W^T + b`` after flattening every non-batch axis of ``x``.

    Args:
        x: input of shape ``(s_1, ..., s_n, d_1, ..., d_m)`` where the first
            ``n_batch_axes`` axes are batch axes; the rest are flattened into
            ``in_size = d_1 * ... * d_m`` (so a ``(N, 120, 1, 1)`` feature map
            feeds a ``(84, 120)`` weight directly).
        W: weight of shape ``(out_size, in_size)``.
        b: bias of shape ``(out_size,)`` or ``None``.
        n_batch_axes (int): number of leading batch axes.

    Returns:
        torch.Tensor of shape ``(s_1, ..., s_n, out_size)``, of ``x``'s dtype
        (mixed dtypes are computed in the promoted one, as in Chainer).

    Raises:
        InvalidType: when ``in_size`` differs from ``W.shape[1]``.
    """
    cast_back, x, W, b = in_common_dtype(*as_tensors(x, W, b))
    batch_shape = x.shape[:n_batch_axes]
    flat = x.reshape(*batch_shape, math.prod(x.shape[n_batch_axes:]))  # -1 fails for N = 0
    if flat.shape[-1] != W.shape[1]:
        raise InvalidType(
            'in_size == W.shape[1]', '{} != {}'.format(flat.shape[-1], W.shape[1]),
            'linear: the input has {} features per example (shape {}) but W '
            'has shape {}.'.format(flat.shape[-1], tuple(x.shape), tuple(W.shape)))
    return cast_back(torch_f.linear(flat, W, b))
