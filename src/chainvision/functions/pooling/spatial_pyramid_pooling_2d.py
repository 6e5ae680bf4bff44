"""Spatial pyramid pooling (He et al. 2014, arXiv 1406.4729)."""

import math

import torch

from chainvision.backend import as_tensor
from chainvision.functions.pooling.max_pooling_2d import max_pooling_2d


def spatial_pyramid_pooling_2d(x, pyramid_height, pooling='max'):
    """Max-pool ``x`` ``(N, C, H, W)`` into 1, 2x2, 4x4... bins (``pyramid_height``
    levels) and concatenate the flattened bins: output
    ``(N, C * sum_l 4 ** l, 1, 1)``, whatever ``H`` and ``W``.

    Level ``l`` uses windows ``ceil(H / 2**l)`` wide with that stride,
    padded by half of what the bins overhang, as Chainer does.

    Raises:
        ValueError: for a ``pooling`` other than ``'max'``.
    """
    if pooling != 'max':
        raise ValueError('Unsupported pooling operation: {!r}'.format(pooling))
    x = as_tensor(x)
    height, width = x.shape[2:]
    levels = []
    for level in range(pyramid_height):
        bins = 2 ** level
        ksize = (math.ceil(height / bins), math.ceil(width / bins))
        pad = ((ksize[0] * bins - height) // 2, (ksize[1] * bins - width) // 2)
        y = max_pooling_2d(x, ksize, pad=pad, cover_all=True)
        levels.append(y.reshape(len(y), -1, 1, 1))
    return torch.cat(levels, dim=1)
