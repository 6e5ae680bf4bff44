"""What the convolution and deconvolution links share: arguments, parameters and
lazy initialization of ``W`` from the first input's channels."""

from chainvision import initializers
from chainvision.backend import as_tensor
from chainvision.link import Link, Parameter, initialize_param, is_initialized
from chainvision.utils.conv import as_tuple


class ConvolutionLinkBase(Link):
    """Base of the (de)convolution links (``ndim`` spatial axes, default 2).

    Accepts ``(in_channels, out_channels, ksize)`` or the two-argument form
    ``(out_channels, ksize)`` (``in_channels=None``: inferred from the first
    input).  Subclasses give the filter shape in :meth:`_W_shape`.
    """

    def __init__(self, in_channels, out_channels, ksize, stride, pad, nobias, initialW,
                 initial_bias, dilate, groups, ndim=2):
        super().__init__()
        if ksize is None:
            in_channels, out_channels, ksize = None, in_channels, out_channels
        if out_channels is None or ksize is None:
            raise TypeError('{0} needs out_channels and ksize: {0}(in_channels, out_channels, '
                            'ksize) or {0}(out_channels, ksize).'.format(type(self).__name__))
        self.ksize = as_tuple(ksize, ndim)
        self.stride = as_tuple(stride, ndim)
        self.pad = as_tuple(pad, ndim)
        self.dilate = as_tuple(dilate, ndim)
        self.groups = int(groups)
        self.out_channels = out_channels
        self._check_divisible('out_channels', out_channels)
        with self.init_scope():
            self.W = Parameter(initializers._get_initializer(initialW))
            if in_channels is not None:
                self._initialize_W(in_channels)
            if nobias:
                self.b = None
            else:
                self.b = Parameter(0 if initial_bias is None else initial_bias, out_channels)

    def _check_divisible(self, name, channels):
        if channels % self.groups:
            raise ValueError('{} ({}) must be divisible by groups ({}).'.format(
                name, channels, self.groups))

    def _W_shape(self, in_channels):
        raise NotImplementedError

    def _initialize_W(self, in_channels, device=None):
        self._check_divisible('in_channels', in_channels)
        initialize_param(self.W, self._W_shape(in_channels), device=device)

    def _prepare(self, x):
        """Return ``x`` as a tensor, first giving ``W`` its shape if needed."""
        x = as_tensor(x, self.W if is_initialized(self.W) else None)
        if not is_initialized(self.W):
            self._initialize_W(x.shape[1], device=x.device)
        return x

    def extra_repr(self):
        return 'out_channels={}, ksize={}, stride={}, pad={}'.format(
            self.out_channels, self.ksize, self.stride, self.pad)
