"""The N-dimensional convolution links (1, 2 or 3 spatial axes)."""

from chainvision.functions.connection.convolution_nd import convolution_nd
from chainvision.links.connection._convolution import ConvolutionLinkBase


class ConvolutionND(ConvolutionLinkBase):
    """Convolution layer over ``ndim`` spatial axes, with parameters ``W``
    ``(out_channels, in_channels / groups, k_1, ..., k_ndim)`` and ``b``
    ``(out_channels,)``.

    Args:
        ndim (int): number of spatial axes, 1, 2 or 3.
        in_channels (int or None): input channels (``None``: inferred from the
            first input).  ``ConvolutionND(ndim, out_channels, ksize)`` also
            means ``in_channels=None``.
        out_channels (int): output channels.
        ksize, stride, pad, dilate: an int or ``ndim`` ints.
        nobias (bool): no bias.
        initialW, initial_bias: initializers (default LeCun normal and 0).
        cover_all (bool): see :func:`~chainvision.functions.convolution_nd`.
        groups (int): number of channel groups.

    Input ``(N, in_channels, d_1, ..., d_ndim)``.
    """

    def __init__(self, ndim, in_channels, out_channels, ksize=None, stride=1, pad=0,
                 nobias=False, initialW=None, initial_bias=None, cover_all=False, dilate=1,
                 groups=1):
        super().__init__(in_channels, out_channels, ksize, stride, pad, nobias, initialW,
                         initial_bias, dilate, groups, ndim=ndim)
        self.cover_all = cover_all

    def _W_shape(self, in_channels):
        return (self.out_channels, in_channels // self.groups) + self.ksize

    def forward(self, x):
        """Convolve ``x`` ``(N, C, d_1, ..., d_ndim)``."""
        return convolution_nd(self._prepare(x), self.W, self.b, self.stride, self.pad,
                              self.cover_all, self.dilate, self.groups)


class Convolution1D(ConvolutionND):
    """:class:`ConvolutionND` with ``ndim=1``: input ``(N, C, L)``."""

    def __init__(self, in_channels, out_channels, ksize=None, stride=1, pad=0, nobias=False,
                 initialW=None, initial_bias=None, cover_all=False, dilate=1, groups=1):
        super().__init__(1, in_channels, out_channels, ksize, stride, pad, nobias, initialW,
                         initial_bias, cover_all, dilate, groups)


class Convolution3D(ConvolutionND):
    """:class:`ConvolutionND` with ``ndim=3``: input ``(N, C, D, H, W)``."""

    def __init__(self, in_channels, out_channels, ksize=None, stride=1, pad=0, nobias=False,
                 initialW=None, initial_bias=None, cover_all=False, dilate=1, groups=1):
        super().__init__(3, in_channels, out_channels, ksize, stride, pad, nobias, initialW,
                         initial_bias, cover_all, dilate, groups)
