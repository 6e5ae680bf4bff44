"""The two-dimensional depthwise convolution link."""

from chainvision import functions, initializers
from chainvision.backend import as_tensor
from chainvision.link import Link, Parameter, initialize_param, is_initialized
from chainvision.utils.conv import pair


class DepthwiseConvolution2D(Link):
    """Depthwise convolution: each input channel is filtered by its own
    ``channel_multiplier`` filters.

    Parameters ``W`` ``(channel_multiplier, in_channels, kh, kw)`` and ``b``
    ``(in_channels * channel_multiplier,)`` (Chainer's layout).

    Args:
        in_channels (int or None): input channels; ``None`` infers them (and
            the size of ``b``) from the first input.
        channel_multiplier (int): filters per input channel.
        ksize (int or pair): kernel size.
        stride, pad (int or pair): stride and padding.
        nobias (bool): no bias.
        initialW: initializer of ``W`` (default LeCunNormal).
        initial_bias: initializer of ``b`` (default 0).

    Input ``(N, in_channels, H, W)``, output
    ``(N, in_channels * channel_multiplier, out_h, out_w)``.
    """

    def __init__(self, in_channels, channel_multiplier, ksize, stride=1, pad=0, nobias=False,
                 initialW=None, initial_bias=None):
        super().__init__()
        self.channel_multiplier = channel_multiplier
        self.ksize = pair(ksize)
        self.stride = pair(stride)
        self.pad = pair(pad)
        with self.init_scope():
            self.W = Parameter(initializers._get_initializer(initialW))
            self.b = None if nobias else Parameter(0 if initial_bias is None else initial_bias)
        if in_channels is not None:
            self._initialize_params(in_channels)

    def _initialize_params(self, in_channels, device=None):
        initialize_param(self.W, (self.channel_multiplier, in_channels) + self.ksize,
                         device=device)
        if self.b is not None:
            initialize_param(self.b, (self.channel_multiplier * in_channels,), device=device)

    def forward(self, x):
        """Filter ``x`` ``(N, C, H, W)`` channel by channel."""
        x = as_tensor(x, self.W if is_initialized(self.W) else None)
        if not is_initialized(self.W):
            self._initialize_params(x.shape[1], device=x.device)
        return functions.depthwise_convolution_2d(x, self.W, self.b, self.stride, self.pad)

    def extra_repr(self):
        return 'channel_multiplier={}, ksize={}, stride={}, pad={}'.format(
            self.channel_multiplier, self.ksize, self.stride, self.pad)
