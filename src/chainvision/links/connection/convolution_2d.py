"""The two-dimensional convolution link."""

import math

from chainvision import functions
from chainvision.links.connection._convolution import ConvolutionLinkBase
from chainvision.variable import as_array


class Convolution2D(ConvolutionLinkBase):
    """2-D convolution layer with parameters ``W`` ``(out, in / groups, kh, kw)``
    and ``b`` ``(out,)``.

    Args:
        in_channels (int or None): input channels; ``None`` infers them from
            the first input (``W`` stays uninitialized until then).
        out_channels (int): output channels.
        ksize (int or pair): kernel size.  The two-argument form
            ``Convolution2D(out_channels, ksize)`` means ``in_channels=None``.
        stride, pad (int or pair): as in :func:`~chainvision.functions.convolution_2d`.
        nobias (bool): no bias ``b`` (it is ``None``).
        initialW: initializer of ``W`` (default
            :class:`~chainvision.initializers.LeCunNormal`); a scalar, an
            array or an initializer.
        initial_bias: initializer of ``b`` (default 0).
        dilate (int or pair): dilation.
        groups (int): number of channel groups.

    Input ``(N, in_channels, H, W)``, output ``(N, out_channels, out_h, out_w)``.
    """

    def __init__(self, in_channels, out_channels=None, ksize=None, stride=1, pad=0,
                 nobias=False, initialW=None, initial_bias=None, *, dilate=1, groups=1):
        super().__init__(in_channels, out_channels, ksize, stride, pad, nobias, initialW,
                         initial_bias, dilate, groups)

    @classmethod
    def from_params(cls, W, b=None, stride=1, pad=0, nobias=False, *, dilate=1, groups=1):
        """A layer whose parameters start as copies of ``W`` ``(out_channels,
        in_channels / groups, kh, kw)`` and ``b`` ``(out_channels,)`` (arrays
        or tensors), with the given ``stride``, ``pad``, ``dilate`` and
        ``groups``.

        Raises:
            ValueError: when ``b`` does not have ``out_channels`` elements.
        """
        out_channels, in_channels_per_group, kh, kw = W.shape
        if b is not None and math.prod(b.shape) != out_channels:
            raise ValueError('`out_channels` does not match the size of `b`')
        return cls(in_channels_per_group * groups, out_channels, (kh, kw), stride, pad, nobias,
                   initialW=as_array(W), initial_bias=as_array(b), dilate=dilate, groups=groups)

    def _W_shape(self, in_channels):
        return (self.out_channels, in_channels // self.groups) + self.ksize

    def forward(self, x):
        """Convolve ``x`` ``(N, C, H, W)``."""
        return functions.convolution_2d(self._prepare(x), self.W, self.b, self.stride, self.pad,
                                        dilate=self.dilate, groups=self.groups)
