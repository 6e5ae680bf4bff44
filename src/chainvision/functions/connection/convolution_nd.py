"""N-dimensional convolution (1, 2 or 3 spatial axes)."""

import torch.nn.functional as torch_f

from chainvision.backend import as_tensors
from chainvision.functions._dtypes import in_common_dtype
from chainvision.functions.connection.convolution_2d import pad_to_cover_all
from chainvision.utils.conv import as_tuple

_CONVOLUTIONS = {1: torch_f.conv1d, 2: torch_f.conv2d, 3: torch_f.conv3d}


def spatial_ndim(name, x, W, expected=None):
    """The number of spatial axes of the filters ``W``, checked against
    ``x`` (which must have as many, plus batch and channel) and, if given,
    ``expected``.  Raises ``ValueError`` naming the function ``name``."""
    ndim = W.ndim - 2
    if ndim not in _CONVOLUTIONS or x.ndim != ndim + 2 or (expected and ndim != expected):
        raise ValueError('{} expects x (N, C, d_1, ..., d_n) and W with n = {} spatial axes, '
                         'got x of shape {} and W of shape {}.'.format(
                             name, expected or '1, 2 or 3', tuple(x.shape), tuple(W.shape)))
    return ndim


def _convolution(name, expected_ndim, x, W, b, stride, pad, cover_all, dilate, groups):
    cast_back, x, W, b = in_common_dtype(*as_tensors(x, W, b))
    ndim = spatial_ndim(name, x, W, expected_ndim)
    stride, pad, dilate = (as_tuple(v, ndim) for v in (stride, pad, dilate))
    if cover_all:
        x, pad = pad_to_cover_all(x, W.shape[2:], stride, pad, dilate), 0
    return cast_back(_CONVOLUTIONS[ndim](x, W, b, stride, pad, dilate, groups))


def convolution_nd(x, W, b=None, stride=1, pad=0, cover_all=False, dilate=1, groups=1):
    """Convolve ``x`` ``(N, C, d_1, ..., d_n)`` with filters ``W``
    ``(out_channels, C / groups, k_1, ..., k_n)`` for ``n`` = 1, 2 or 3.

    Args:
        b: bias ``(out_channels,)`` or ``None``.
        stride, pad, dilate: an int or ``n`` ints.
        cover_all (bool): extra padding at the end of each axis so that the
            windows cover every element (Chainer's rule).
        groups (int): number of channel groups.

    Returns:
        torch.Tensor ``(N, out_channels, o_1, ..., o_n)`` with
        ``o_i = (d_i + 2 p_i - dk_i) // s_i + 1``.  (Chainer also runs
        ``n > 3`` by im2col; PyTorch has kernels for 1 to 3, which are what
        vision networks use.)
    """
    return _convolution('convolution_nd', None, x, W, b, stride, pad, cover_all, dilate, groups)


def convolution_1d(x, W, b=None, stride=1, pad=0, cover_all=False, dilate=1, groups=1):
    """:func:`convolution_nd` of ``x`` ``(N, C, L)`` with ``W`` ``(out, C / groups, k)``."""
    return _convolution('convolution_1d', 1, x, W, b, stride, pad, cover_all, dilate, groups)


def convolution_3d(x, W, b=None, stride=1, pad=0, cover_all=False, dilate=1, groups=1):
    """:func:`convolution_nd` of ``x`` ``(N, C, D, H, W)`` with ``W``
    ``(out, C / groups, kd, kh, kw)``."""
    return _convolution('convolution_3d', 3, x, W, b, stride, pad, cover_all, dilate, groups)
