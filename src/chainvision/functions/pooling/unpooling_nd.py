"""N-dimensional unpooling (1, 2 or 3 spatial axes)."""

import torch

from chainvision.backend import as_tensor
from chainvision.functions._col2im import transposed_convolution
from chainvision.utils.conv import as_tuple, get_conv_outsize, get_deconv_outsize


def unpool(name, x, ksize, stride, pad, outsize, cover_all):
    """Copy each element of ``x`` ``(N, C, d_1, ..., d_n)`` into its window
    of the output (``n = x.ndim - 2``); ``name`` names the caller in errors."""
    x = as_tensor(x)
    ndim = x.ndim - 2
    ksize, pad = as_tuple(ksize, ndim), as_tuple(pad, ndim)
    stride = ksize if stride is None else as_tuple(stride, ndim)
    sizes = x.shape[2:]
    if outsize is None:
        out = [get_deconv_outsize(sizes[i], ksize[i], stride[i], pad[i], cover_all)
               for i in range(ndim)]
    else:
        out = as_tuple(outsize, ndim)
        expected = [get_conv_outsize(out[i], ksize[i], stride[i], pad[i], cover_all)
                    for i in range(ndim)]
        if tuple(expected) != tuple(sizes):
            raise ValueError('{}: outsize {} pools back to {}, not to the input size {}.'.format(
                name, tuple(out), tuple(expected), tuple(sizes)))
    channels = x.shape[1]
    ones = torch.ones((channels, 1) + ksize, dtype=x.dtype, device=x.device)
    return transposed_convolution(x, ones, stride, pad, out, groups=channels)


def _checked(name, x, ndim):
    x = as_tensor(x)
    if x.ndim - 2 not in ((1, 2, 3) if ndim is None else (ndim,)):
        raise ValueError('{} expects x (N, C, d_1, ..., d_n) with n = {} spatial axes, got '
                         'shape {}.'.format(name, ndim or '1, 2 or 3', tuple(x.shape)))
    return x


def unpooling_nd(x, ksize, stride=None, pad=0, outsize=None, cover_all=True):
    """The inverse of pooling for ``x`` ``(N, C, d_1, ..., d_n)``, ``n`` = 1,
    2 or 3: each element is copied into its ``ksize`` window of the output
    (overlapping copies add up).  Arguments and sizes as
    :func:`~chainvision.functions.unpooling_2d`."""
    return unpool('unpooling_nd', _checked('unpooling_nd', x, None), ksize, stride, pad,
                  outsize, cover_all)


def unpooling_1d(x, ksize, stride=None, pad=0, outsize=None, cover_all=True):
    """:func:`unpooling_nd` of ``x`` ``(N, C, L)``."""
    return unpool('unpooling_1d', _checked('unpooling_1d', x, 1), ksize, stride, pad, outsize,
                  cover_all)


def unpooling_3d(x, ksize, stride=None, pad=0, outsize=None, cover_all=True):
    """:func:`unpooling_nd` of ``x`` ``(N, C, D, H, W)``."""
    return unpool('unpooling_3d', _checked('unpooling_3d', x, 3), ksize, stride, pad, outsize,
                  cover_all)
