"""The two-dimensional transposed convolution (deconvolution) link."""

from chainvision import functions
from chainvision.links.connection._convolution import ConvolutionLinkBase
from chainvision.utils.conv import pair


class Deconvolution2D(ConvolutionLinkBase):
    """2-D transposed convolution layer with parameters ``W``
    ``(in, out / groups, kh, kw)`` (Chainer's and PyTorch's layout) and ``b``
    ``(out,)``.

    Args:
        in_channels (int or None): input channels; ``None`` infers them from
            the first input.  ``Deconvolution2D(out_channels, ksize)`` also
            means ``in_channels=None``.
        out_channels (int): output channels.
        ksize (int or pair): kernel size.
        stride, pad (int or pair): as in
            :func:`~chainvision.functions.deconvolution_2d`.
        nobias (bool): no bias.
        outsize (pair or None): output ``(out_h, out_w)``; default
            ``stride * (H - 1) + ksize - 2 * pad``.
        initialW: initializer of ``W`` (default LeCunNormal).
        initial_bias: initializer of ``b`` (default 0).
        dilate (int or pair): dilation.
        groups (int): number of channel groups.

    Input ``(N, in_channels, H, W)``, output ``(N, out_channels, out_h, out_w)``.
    """

    def __init__(self, in_channels, out_channels=None, ksize=None, stride=1, pad=0,
                 nobias=False, outsize=None, initialW=None, initial_bias=None, *, dilate=1,
                 groups=1):
        super().__init__(in_channels, out_channels, ksize, stride, pad, nobias, initialW,
                         initial_bias, dilate, groups)
        self.outsize = None if outsize is None else pair(outsize)

    def _W_shape(self, in_channels):
        return (in_channels, self.out_channels // self.groups) + self.ksize

    def forward(self, x):
        """Upsample ``x`` ``(N, C, H, W)``."""
        return functions.deconvolution_2d(self._prepare(x), self.W, self.b, self.stride,
                                          self.pad, self.outsize, dilate=self.dilate,
                                          groups=self.groups)
