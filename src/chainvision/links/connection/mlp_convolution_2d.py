"""The MLP convolution link of Network in Network (Lin et al. 2014)."""

from chainvision.functions.activation.relu import relu
from chainvision.link import ChainList
from chainvision.links.connection.convolution_2d import Convolution2D


class MLPConvolution2D(ChainList):
    """A ``ksize`` convolution followed by 1x1 convolutions, with
    ``activation`` between them (not after the last): the "mlpconv" layer.

    Args:
        in_channels (int or None): input channels (``None``: inferred).
        out_channels (tuple of int): output channels of each convolution.
            ``MLPConvolution2D(out_channels, ksize)`` also infers the input.
        ksize (int or pair): kernel size of the first convolution.
        stride, pad (int or pair): of the first convolution.
        activation (callable): applied after every convolution but the last
            (default :func:`~chainvision.functions.relu`).
        conv_init, bias_init: initializers of every ``W`` and ``b``.

    Parameters are ``/0/W``, ``/0/b``, ``/1/W``... as in Chainer.
    """

    def __init__(self, in_channels, out_channels, ksize=None, stride=1, pad=0, activation=relu,
                 *, conv_init=None, bias_init=None):
        if ksize is None:
            in_channels, out_channels, ksize = None, in_channels, out_channels
        if not out_channels:
            raise ValueError('MLPConvolution2D needs at least one entry in out_channels.')
        convs = [Convolution2D(in_channels, out_channels[0], ksize, stride, pad,
                               initialW=conv_init, initial_bias=bias_init)]
        for n_in, n_out in zip(out_channels, out_channels[1:]):
            convs.append(Convolution2D(n_in, n_out, 1, initialW=conv_init,
                                       initial_bias=bias_init))
        super().__init__(*convs)
        self.activation = activation

    def forward(self, x):
        """Apply the convolutions to ``x`` ``(N, C, H, W)``."""
        for conv in self[:-1]:
            x = self.activation(conv(x))
        return self[-1](x)
