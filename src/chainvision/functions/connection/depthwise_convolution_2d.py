"""Two-dimensional depthwise convolution."""

from chainvision.backend import as_tensors
from chainvision.functions.connection.convolution_2d import convolution_2d


def depthwise_convolution_2d(x, W, b=None, stride=1, pad=0):
    """Convolve each input channel with its own ``channel_multiplier``
    filters.

    Args:
        x: input of shape ``(N, in_channels, H, W)``.
        W: filters of shape ``(channel_multiplier, in_channels, kh, kw)``
            (Chainer's layout; PyTorch's grouped weight is
            ``(in_channels * multiplier, 1, kh, kw)``).
        b: bias of shape ``(in_channels * channel_multiplier,)`` or ``None``.
        stride, pad: an int or a pair.

    Returns:
        torch.Tensor of shape ``(N, in_channels * channel_multiplier, out_h,
        out_w)``; output channel ``c * channel_multiplier + m`` is input
        channel ``c`` filtered by ``W[m, c]``.
    """
    x, W, b = as_tensors(x, W, b)
    if W.ndim != 4 or x.ndim != 4 or x.shape[1] != W.shape[1]:
        raise ValueError('depthwise_convolution_2d: x of shape {} and W of shape {} do not '
                         'match; W must be (channel_multiplier, in_channels, kh, kw).'.format(
                             tuple(x.shape), tuple(W.shape)))
    multiplier, in_channels, kh, kw = W.shape
    grouped = W.transpose(0, 1).reshape(in_channels * multiplier, 1, kh, kw)
    return convolution_2d(x, grouped, b, stride, pad, groups=in_channels)
