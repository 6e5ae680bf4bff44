"""N-dimensional max pooling (1, 2 or 3 spatial axes) with Chainer's
``cover_all`` output sizes."""

import math

import torch
import torch.nn.functional as torch_f

from chainvision.backend import as_tensor
from chainvision.functions.connection.convolution_2d import pad_to_cover_all
from chainvision.utils.conv import as_tuple

_MAX_POOLINGS = {1: torch_f.max_pool1d, 2: torch_f.max_pool2d, 3: torch_f.max_pool3d}


def spatial_axes(name, x, expected_ndim=None):
    """``x`` as a tensor and its number of spatial axes, 1 to 3 (or exactly
    ``expected_ndim``); ``ValueError`` naming ``name`` otherwise."""
    x = as_tensor(x)
    ndim = x.ndim - 2
    if ndim not in _MAX_POOLINGS or expected_ndim not in (None, ndim):
        raise ValueError('{} expects x (N, C, d_1, ..., d_n) with n = {} spatial axes, got '
                         'shape {}.'.format(name, expected_ndim or '1, 2 or 3', tuple(x.shape)))
    return x, ndim


def _window_indices(indices, padded_shape, ksize, stride):
    """PyTorch's flat indices into the padded volume -> Chainer's flat index
    within each window."""
    window_index = torch.zeros_like(indices)
    remaining = indices
    for axis in reversed(range(len(ksize))):
        coordinate = remaining % padded_shape[axis]
        remaining = remaining // padded_shape[axis]
        shape = [1] * indices.ndim
        shape[2 + axis] = -1
        origin = torch.arange(indices.shape[2 + axis], device=indices.device).reshape(shape)
        offset = coordinate - origin * stride[axis]
        window_index = window_index + offset * math.prod(ksize[axis + 1:])
    return window_index


def _max_pooling(name, x, ksize, stride, pad, cover_all, return_indices, expected_ndim=None):
    x, ndim = spatial_axes(name, x, expected_ndim)
    ksize, pad = as_tuple(ksize, ndim), as_tuple(pad, ndim)
    stride = ksize if stride is None else as_tuple(stride, ndim)
    # Pad with -inf explicitly: Chainer's windows may start in the padding,
    # which PyTorch's own padding and ceil_mode do not allow.
    if cover_all:
        padded = pad_to_cover_all(x, ksize, stride, pad, (1,) * ndim, value=-math.inf)
    else:
        padded = torch_f.pad(x, [p for p in reversed(pad) for _ in (0, 1)], value=-math.inf)
    result = _MAX_POOLINGS[ndim](padded, ksize, stride, return_indices=return_indices)
    if not return_indices:
        return result
    y, indices = result
    return y, _window_indices(indices, padded.shape[2:], ksize, stride)


def max_pooling_nd(x, ksize, stride=None, pad=0, cover_all=True, return_indices=False):
    """Max pooling of ``x`` ``(N, C, d_1, ..., d_n)``, ``n`` = 1, 2 or 3.

    Args:
        ksize: window size, an int or ``n`` ints.
        stride: an int or ``n`` ints; ``None`` (default) means ``ksize``.
        pad: padding at both ends of each axis (it never wins the max).
        cover_all (bool): Chainer's default ``True`` gives
            ``(d + 2p - k + s - 1) // s + 1`` outputs per axis, so every
            element is covered; ``False`` floors.  A window wholly in the
            padding yields ``-inf``, as in Chainer.
        return_indices (bool): also return the position of each maximum
            within its window, flattened in C order (int64, the output's shape).

    Returns:
        torch.Tensor ``(N, C, o_1, ..., o_n)`` (and the indices).
    """
    return _max_pooling('max_pooling_nd', x, ksize, stride, pad, cover_all, return_indices)


def max_pooling_1d(x, ksize, stride=None, pad=0, cover_all=True, return_indices=False):
    """:func:`max_pooling_nd` of ``x`` ``(N, C, L)``."""
    return _max_pooling('max_pooling_1d', x, ksize, stride, pad, cover_all, return_indices, 1)


def max_pooling_3d(x, ksize, stride=None, pad=0, cover_all=True, return_indices=False):
    """:func:`max_pooling_nd` of ``x`` ``(N, C, D, H, W)``."""
    return _max_pooling('max_pooling_3d', x, ksize, stride, pad, cover_all, return_indices, 3)
