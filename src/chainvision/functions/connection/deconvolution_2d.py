"""Two-dimensional transposed convolution (deconvolution)."""

from chainvision.backend import as_tensors
from chainvision.functions._col2im import transposed_convolution
from chainvision.functions._shape_check import check_ndim
from chainvision.utils.conv import get_conv_outsize, get_deconv_outsize, pair


def _out_size(size, k, s, p, d, outsize):
    if outsize is None:
        out = get_deconv_outsize(size, k, s, p, d=d)
        if out <= 0:
            raise ValueError('deconvolution_2d: the output would have length {} (input {}, '
                             'kernel {}, stride {}, pad {}).'.format(out, size, k, s, p))
        return out
    low = get_conv_outsize(outsize, k, s, p, d=d)
    high = get_conv_outsize(outsize, k, s, p, cover_all=True, d=d)
    if not low <= size <= high:
        raise ValueError('deconvolution_2d: outsize {} is inconsistent with input length {} '
                         '(a convolution of {} gives {} to {}).'.format(
                             outsize, size, outsize, low, high))
    return outsize


def deconvolution_2d(x, W, b=None, stride=1, pad=0, outsize=None, *, dilate=1, groups=1):
    """Transposed convolution, the gradient of ``convolution_2d`` w.r.t. its
    input, with Chainer's weight layout and output size.

    Args:
        x: input of shape ``(N, in_channels, H, W)``.
        W: filters of shape ``(in_channels, out_channels / groups, kh, kw)``
            (Chainer's layout, which PyTorch's ``conv_transpose2d`` shares).
        b: bias of shape ``(out_channels,)`` or ``None``.
        stride, pad, dilate: an int or a pair ``(h, w)``.
        outsize (pair or None): output ``(out_h, out_w)``; default
            ``s * (H - 1) + dk - 2p`` (``dk`` the dilated kernel).  Any size
            whose convolution gives back ``H`` with or without ``cover_all``
            is accepted; rows past the scattered windows are zero plus bias.
        groups (int): number of channel groups.

    Returns:
        torch.Tensor of shape ``(N, out_channels, out_h, out_w)``.
    """
    x, W, b = as_tensors(x, W, b)
    check_ndim('deconvolution_2d', x, 4, '(N, C, H, W)')
    if W.ndim != 4 or x.shape[1] != W.shape[0]:
        raise ValueError('deconvolution_2d: x has {} channels but W of shape {} expects {} '
                         '(W is (in_channels, out_channels / groups, kh, kw)).'.format(
                             x.shape[1], tuple(W.shape), W.shape[0]))
    stride, pad, dilate = pair(stride), pair(pad), pair(dilate)
    outsize = (None, None) if outsize is None else pair(outsize)
    out = [_out_size(x.shape[2 + i], W.shape[2 + i], stride[i], pad[i], dilate[i], outsize[i])
           for i in (0, 1)]
    y = transposed_convolution(x, W, stride, pad, out, dilate, groups)
    if b is not None:
        y = y + b.reshape(1, -1, 1, 1)
    return y
