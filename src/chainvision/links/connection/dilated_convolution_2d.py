"""The dilated convolution link, Chainer's older spelling of a
convolution with ``dilate``."""

from chainvision.links.connection.convolution_2d import Convolution2D


class DilatedConvolution2D(Convolution2D):
    """2-D convolution with dilation ``dilate`` given positionally:
    ``DilatedConvolution2D(in, out, ksize, stride, pad, dilate)`` equals
    ``Convolution2D(in, out, ksize, stride, pad, dilate=dilate)`` (same
    parameters ``W`` ``(out, in, kh, kw)`` and ``b``; the two-argument form
    ``DilatedConvolution2D(out, ksize)`` infers ``in``).

    Deliberate difference: it is a subclass of :class:`Convolution2D`.
    """

    def __init__(self, in_channels, out_channels=None, ksize=None, stride=1, pad=0, dilate=1,
                 nobias=False, initialW=None, initial_bias=None):
        super().__init__(in_channels, out_channels, ksize, stride, pad, nobias, initialW,
                         initial_bias, dilate=dilate)
