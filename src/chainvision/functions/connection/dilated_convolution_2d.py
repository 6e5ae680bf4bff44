"""Two-dimensional dilated convolution."""

from chainvision.functions.connection.convolution_2d import convolution_2d


def dilated_convolution_2d(x, W, b=None, stride=1, pad=0, dilate=1, cover_all=False):
    """:func:`~chainvision.functions.convolution_2d` with dilation ``dilate``
    (Chainer's older spelling, with ``dilate`` as a positional argument)."""
    return convolution_2d(x, W, b, stride, pad, cover_all, dilate=dilate)
