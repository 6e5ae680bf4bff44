"""The two-dimensional convolution link."""

from chainvision import functions, initializers
from chainvision.backend import as_tensor
from chainvision.link import Link, Parameter, initialize_param, is_initialized
from chainvision.utils.conv import pair


class Convolution2D(Link):
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
        super().__init__()
        if ksize is None:
            in_channels, out_channels, ksize = None, in_channels, out_channels
        if out_channels is None or ksize is None:
            raise TypeError('Convolution2D needs out_channels and ksize.')
        self.ksize = pair(ksize)
        self.stride = pair(stride)
        self.pad = pair(pad)
        self.dilate = pair(dilate)
        self.groups = int(groups)
        self.out_channels = out_channels
        if out_channels % self.groups:
            raise ValueError('out_channels ({}) must be divisible by groups ({}).'.format(
                out_channels, groups))
        with self.init_scope():
            self.W = Parameter(initializers._get_initializer(initialW))
            if in_channels is not None:
                self._initialize_W(in_channels)
            if nobias:
                self.b = None
            else:
                self.b = Parameter(0 if initial_bias is None else initial_bias, out_channels)

    def _initialize_W(self, in_channels, device=None):
        if in_channels % self.groups:
            raise ValueError('in_channels ({}) must be divisible by groups ({}).'.format(
                in_channels, self.groups))
        shape = (self.out_channels, in_channels // self.groups) + self.ksize
        initialize_param(self.W, shape, device=device)

    def forward(self, x):
        """Convolve ``x`` ``(N, C, H, W)``."""
        if not is_initialized(self.W):
            x = as_tensor(x)
            self._initialize_W(x.shape[1], device=x.device)
        return functions.convolution_2d(x, self.W, self.b, self.stride, self.pad,
                                        dilate=self.dilate, groups=self.groups)

    def extra_repr(self):
        return 'out_channels={}, ksize={}, stride={}, pad={}'.format(
            self.out_channels, self.ksize, self.stride, self.pad)
