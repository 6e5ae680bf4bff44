"""The N-dimensional deconvolution links (1, 2 or 3 spatial axes)."""

from chainvision.functions.connection.deconvolution_nd import deconvolution_nd
from chainvision.links.connection._convolution import ConvolutionLinkBase
from chainvision.utils.conv import as_tuple


class DeconvolutionND(ConvolutionLinkBase):
    """Transposed convolution layer over ``ndim`` spatial axes, with
    parameters ``W`` ``(in_channels, out_channels / groups, k_1, ..., k_ndim)``
    and ``b`` ``(out_channels,)``.

    Args:
        ndim (int): number of spatial axes, 1, 2 or 3.
        in_channels (int or None): input channels (``None``: inferred).
            ``DeconvolutionND(ndim, out_channels, ksize)`` also means
            ``in_channels=None``.
        out_channels (int): output channels.
        ksize, stride, pad, dilate: an int or ``ndim`` ints.
        nobias (bool): no bias.
        outsize: ``ndim`` output lengths (default: see
            :func:`~chainvision.functions.deconvolution_nd`).
        initialW, initial_bias: initializers (default LeCun normal and 0).
        groups (int): number of channel groups.
    """

    def __init__(self, ndim, in_channels, out_channels, ksize=None, stride=1, pad=0,
                 nobias=False, outsize=None, initialW=None, initial_bias=None, dilate=1,
                 groups=1):
        super().__init__(in_channels, out_channels, ksize, stride, pad, nobias, initialW,
                         initial_bias, dilate, groups, ndim=ndim)
        self.outsize = None if outsize is None else as_tuple(outsize, ndim)

    def _W_shape(self, in_channels):
        return (in_channels, self.out_channels // self.groups) + self.ksize

    def forward(self, x):
        """Upsample ``x`` ``(N, C, d_1, ..., d_ndim)``."""
        return deconvolution_nd(self._prepare(x), self.W, self.b, self.stride, self.pad,
                                self.outsize, self.dilate, self.groups)


class Deconvolution1D(DeconvolutionND):
    """:class:`DeconvolutionND` with ``ndim=1``: input ``(N, C, L)``."""

    def __init__(self, in_channels, out_channels, ksize=None, stride=1, pad=0, nobias=False,
                 outsize=None, initialW=None, initial_bias=None, dilate=1, groups=1):
        super().__init__(1, in_channels, out_channels, ksize, stride, pad, nobias, outsize,
                         initialW, initial_bias, dilate, groups)


class Deconvolution3D(DeconvolutionND):
    """:class:`DeconvolutionND` with ``ndim=3``: input ``(N, C, D, H, W)``."""

    def __init__(self, in_channels, out_channels, ksize=None, stride=1, pad=0, nobias=False,
                 outsize=None, initialW=None, initial_bias=None, dilate=1, groups=1):
        super().__init__(3, in_channels, out_channels, ksize, stride, pad, nobias, outsize,
                         initialW, initial_bias, dilate, groups)
