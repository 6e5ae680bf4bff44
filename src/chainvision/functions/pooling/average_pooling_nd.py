"""N-dimensional average pooling (1, 2 or 3 spatial axes)."""

import torch
import torch.nn.functional as torch_f

from chainvision.functions.pooling.max_pooling_nd import spatial_axes
from chainvision.utils.conv import as_tuple

_AVERAGE_POOLINGS = {1: torch_f.avg_pool1d, 2: torch_f.avg_pool2d, 3: torch_f.avg_pool3d}


def _average_pooling(name, x, ksize, stride, pad, pad_value, expected_ndim=None):
    x, ndim = spatial_axes(name, x, expected_ndim)
    ksize, pad = as_tuple(ksize, ndim), as_tuple(pad, ndim)
    stride = ksize if stride is None else as_tuple(stride, ndim)
    if pad_value not in (0, None):
        raise ValueError('{}: pad_value must be 0 or None, got {!r}.'.format(name, pad_value))
    widths = [p for p in reversed(pad) for _ in (0, 1)]
    pool = _AVERAGE_POOLINGS[ndim]
    y = pool(torch_f.pad(x, widths), ksize, stride)
    if pad_value is None:
        # Divide by the number of real elements in each window instead of k.
        inside = torch_f.pad(torch.ones((1, 1) + x.shape[2:], dtype=x.dtype, device=x.device),
                             widths)
        y = y / pool(inside, ksize, stride)
    return y


def average_pooling_nd(x, ksize, stride=None, pad=0, pad_value=0):
    """Average pooling of ``x`` ``(N, C, d_1, ..., d_n)``, ``n`` = 1, 2 or 3.

    Args:
        ksize: window size, an int or ``n`` ints.
        stride: an int or ``n`` ints; ``None`` (default) means ``ksize``.
        pad: zero padding at both ends of each axis.
        pad_value: ``0`` (default) counts padded elements as zeros (every
            window divided by ``prod(ksize)``); ``None`` averages only the
            elements inside ``x``.

    Returns:
        torch.Tensor ``(N, C, o_1, ..., o_n)``, ``o = (d + 2p - k) // s + 1``.
    """
    return _average_pooling('average_pooling_nd', x, ksize, stride, pad, pad_value)


def average_pooling_1d(x, ksize, stride=None, pad=0, pad_value=0):
    """:func:`average_pooling_nd` of ``x`` ``(N, C, L)``."""
    return _average_pooling('average_pooling_1d', x, ksize, stride, pad, pad_value, 1)


def average_pooling_3d(x, ksize, stride=None, pad=0, pad_value=0):
    """:func:`average_pooling_nd` of ``x`` ``(N, C, D, H, W)``."""
    return _average_pooling('average_pooling_3d', x, ksize, stride, pad, pad_value, 3)
