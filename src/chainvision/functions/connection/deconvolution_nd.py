"""N-dimensional transposed convolution (1, 2 or 3 spatial axes)."""

from chainvision.backend import as_tensors
from chainvision.functions._dtypes import in_common_dtype
from chainvision.functions._col2im import transposed_convolution
from chainvision.utils.conv import as_tuple, get_conv_outsize, get_deconv_outsize


def _out_size(name, size, k, s, p, d, outsize):
    if outsize is None:
        out = get_deconv_outsize(size, k, s, p, d=d)
        if out <= 0:
            raise ValueError('{}: the output would have length {} (input {}, kernel {}, stride '
                             '{}, pad {}).'.format(name, out, size, k, s, p))
        return out
    low = get_conv_outsize(outsize, k, s, p, d=d)
    high = get_conv_outsize(outsize, k, s, p, cover_all=True, d=d)
    if not low <= size <= high:
        raise ValueError('{}: outsize {} is inconsistent with input length {} (a convolution of '
                         '{} gives {} to {}).'.format(name, outsize, size, outsize, low, high))
    return outsize


def deconvolve(name, x, W, b, stride, pad, outsize, dilate, groups, expected_ndim=None):
    """The transposed convolution behind every ``deconvolution_*``; ``name``
    names the caller in errors and ``expected_ndim`` fixes the number of
    spatial axes.  Mixed dtypes are computed in the promoted one and the
    result has ``x``'s (Chainer)."""
    cast_back, x, W, b = in_common_dtype(*as_tensors(x, W, b))
    ndim = W.ndim - 2
    if ndim not in (1, 2, 3) or x.ndim != ndim + 2 or expected_ndim not in (None, ndim):
        raise ValueError('{} expects x (N, C, d_1, ..., d_n) and W (C, out / groups, k_1, ..., '
                         'k_n) with n = {} spatial axes, got x {} and W {}.'.format(
                             name, expected_ndim or '1, 2 or 3', tuple(x.shape), tuple(W.shape)))
    if x.shape[1] != W.shape[0]:
        raise ValueError('{}: x has {} channels but W of shape {} expects {} (W is (in_channels, '
                         'out_channels / groups, k_1, ..., k_n)).'.format(
                             name, x.shape[1], tuple(W.shape), W.shape[0]))
    stride, pad, dilate = (as_tuple(v, ndim) for v in (stride, pad, dilate))
    outsize = (None,) * ndim if outsize is None else as_tuple(outsize, ndim)
    out = [_out_size(name, x.shape[2 + i], W.shape[2 + i], stride[i], pad[i], dilate[i],
                     outsize[i]) for i in range(ndim)]
    y = transposed_convolution(x, W, stride, pad, out, dilate, groups)
    if b is not None:
        y = y + b.reshape((1, -1) + (1,) * ndim)
    return cast_back(y)


def deconvolution_nd(x, W, b=None, stride=1, pad=0, outsize=None, dilate=1, groups=1):
    """Transposed convolution of ``x`` ``(N, C, d_1, ..., d_n)`` with ``W``
    ``(C, out_channels / groups, k_1, ..., k_n)`` for ``n`` = 1, 2 or 3, the
    gradient of :func:`convolution_nd` with respect to its input.

    Args:
        b: bias ``(out_channels,)`` or ``None``.
        stride, pad, dilate: an int or ``n`` ints.
        outsize: ``n`` output lengths; default ``s * (d - 1) + dk - 2p``.
            Any length whose convolution gives back ``d`` is accepted.
        groups (int): number of channel groups.

    Returns:
        torch.Tensor ``(N, out_channels, o_1, ..., o_n)``.
    """
    return deconvolve('deconvolution_nd', x, W, b, stride, pad, outsize, dilate, groups)


def deconvolution_1d(x, W, b=None, stride=1, pad=0, outsize=None, dilate=1, groups=1):
    """:func:`deconvolution_nd` of ``x`` ``(N, C, L)``."""
    return deconvolve('deconvolution_1d', x, W, b, stride, pad, outsize, dilate, groups, 1)


def deconvolution_3d(x, W, b=None, stride=1, pad=0, outsize=None, dilate=1, groups=1):
    """:func:`deconvolution_nd` of ``x`` ``(N, C, D, H, W)``."""
    return deconvolve('deconvolution_3d', x, W, b, stride, pad, outsize, dilate, groups, 3)
