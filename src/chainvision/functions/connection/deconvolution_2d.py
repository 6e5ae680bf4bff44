"""Two-dimensional transposed convolution (deconvolution)."""

from chainvision.backend import as_tensor
from chainvision.functions._shape_check import check_ndim
from chainvision.functions.connection.deconvolution_nd import deconvolve


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
    x = as_tensor(x)
    check_ndim('deconvolution_2d', x, 4, '(N, C, H, W)')
    return deconvolve('deconvolution_2d', x, W, b, stride, pad, outsize, dilate, groups, 2)
