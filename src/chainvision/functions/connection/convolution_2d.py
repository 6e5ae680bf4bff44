"""Two-dimensional convolution."""

import torch.nn.functional as torch_f

from chainvision.backend import as_tensors
from chainvision.functions._dtypes import in_common_dtype
from chainvision.functions._shape_check import check_ndim
from chainvision.utils.conv import get_conv_outsize, pair
from chainvision.utils.type_check import InvalidType


def _check_channels(x, W, groups):
    check_ndim('convolution_2d', x, 4, '(N, C, H, W)')
    if x.shape[1] != W.shape[1] * groups:
        raise InvalidType(
            'x.shape[1] == W.shape[1] * groups', '{} != {} * {}'.format(
                x.shape[1], W.shape[1], groups),
            'convolution_2d: x has {} channels but the weight expects {} '
            '(W.shape={}, groups={}).'.format(x.shape[1], W.shape[1] * groups,
                                             tuple(W.shape), groups))


def convolution_2d(x, W, b=None, stride=1, pad=0, cover_all=False, *, dilate=1, groups=1):
    """Convolve ``x`` with filters ``W``, as Chainer's ``convolution_2d``.

    Args:
        x: input of shape ``(N, C, H, W)``.
        W: filters of shape ``(out_channels, C / groups, kh, kw)``.
        b: bias of shape ``(out_channels,)`` or ``None``.
        stride, pad, dilate: an int or a pair ``(h, w)``.
        cover_all (bool): if True, extra zero padding on the bottom/right
            makes the output cover every input pixel (Chainer's rule).
        groups (int): number of channel groups.

    Returns:
        torch.Tensor of shape ``(N, out_channels, out_h, out_w)`` with
        ``out_h = (H + 2 ph - dkh) // sh + 1`` (``dkh`` the dilated kernel),
        of ``x``'s dtype (mixed dtypes are computed in the promoted one).

    Raises:
        InvalidType: for ``x`` not 4-d or mismatched channels.
        ValueError: for a dilation below 1.
    """
    cast_back, x, W, b = in_common_dtype(*as_tensors(x, W, b))
    _check_channels(x, W, groups)
    stride, pad, dilate = pair(stride), pair(pad), pair(dilate)
    if min(dilate) < 1:
        raise ValueError('convolution_2d: dilate must be at least 1, got {}.'.format(dilate))
    if cover_all:
        x, pad = pad_to_cover_all(x, W.shape[2:], stride, pad, dilate), (0, 0)
    return cast_back(torch_f.conv2d(x, W, b, stride, pad, dilate, groups))


def pad_to_cover_all(x, ksize, stride, pad, dilate, value=0.0):
    """``x`` ``(N, C, d_1, ..., d_n)`` padded with ``value`` by ``pad`` and,
    at the end of each spatial axis, by what Chainer's ``cover_all=True``
    adds so that the windows cover every element; convolve or pool it with
    no padding.  ``ksize``, ``stride``, ``pad``, ``dilate``: ``n`` ints each."""
    widths = []
    for axis in reversed(range(len(ksize))):  # torch's pad lists the last axis first
        size, k = x.shape[2 + axis], ksize[axis]
        out = get_conv_outsize(size, k, stride[axis], pad[axis], True, dilate[axis])
        dk = k + (k - 1) * (dilate[axis] - 1)
        extra = max(0, (out - 1) * stride[axis] + dk - size - 2 * pad[axis])
        widths += [pad[axis], pad[axis] + extra]
    return torch_f.pad(x, widths, value=value)
