"""The Inception module of GoogLeNet (Szegedy et al. 2014, arXiv 1409.4842, Fig. 2b)."""

import functools

from chainvision.functions.activation.relu import relu
from chainvision.functions.array.concat import concat
from chainvision.functions.pooling.max_pooling_2d import max_pooling_2d
from chainvision.link import Chain
from chainvision.links.connection.convolution_2d import Convolution2D


class Inception(Chain):
    """Four branches on one input, concatenated along the channels:

    - ``conv1``: 1x1 convolution to ``out1`` channels;
    - ``proj3`` -> ``conv3``: 1x1 reduction to ``proj3``, 3x3 to ``out3``;
    - ``proj5`` -> ``conv5``: 1x1 reduction to ``proj5``, 5x5 to ``out5``;
    - 3x3 max-pooling (stride 1, pad 1) -> ``projp``: 1x1 to ``proj_pool``;

    with ``act`` after every convolution.  Input ``(N, in_channels, H, W)``,
    output ``(N, out1 + out3 + out5 + proj_pool, H, W)``.

    Args:
        in_channels (int or None): input channels (``None``: inferred).
        out1, proj3, out3, proj5, out5, proj_pool (int): channels, as above.
        conv_init, bias_init: initializers of every ``W`` and ``b`` (default
            :class:`~chainvision.links.Convolution2D`'s: LeCun normal, zero).
        act (callable): keyword only, the activation (default ReLU).
        conv_unit (callable): keyword only, builds each convolution as
            ``conv_unit(in_channels, out_channels, ksize, pad=pad)``, e.g. a
            convolution with batch normalization; it replaces ``conv_init``
            and ``bias_init``.

    Chainer's ``L.Inception`` (same links, same function) with ``act`` and
    ``conv_unit`` added.
    """

    def __init__(self, in_channels, out1, proj3, out3, proj5, out5, proj_pool,
                 conv_init=None, bias_init=None, *, act=relu, conv_unit=None):
        super().__init__()
        if conv_unit is None:
            conv_unit = functools.partial(Convolution2D, initialW=conv_init,
                                          initial_bias=bias_init)
        self.act = act
        with self.init_scope():
            self.conv1 = conv_unit(in_channels, out1, 1, pad=0)
            self.proj3 = conv_unit(in_channels, proj3, 1, pad=0)
            self.conv3 = conv_unit(proj3, out3, 3, pad=1)
            self.proj5 = conv_unit(in_channels, proj5, 1, pad=0)
            self.conv5 = conv_unit(proj5, out5, 5, pad=2)
            self.projp = conv_unit(in_channels, proj_pool, 1, pad=0)

    def forward(self, x):
        """Apply the module to ``x`` ``(N, C, H, W)``."""
        act = self.act
        branch1 = act(self.conv1(x))
        branch3 = act(self.conv3(act(self.proj3(x))))
        branch5 = act(self.conv5(act(self.proj5(x))))
        branch_pool = act(self.projp(max_pooling_2d(x, 3, stride=1, pad=1)))
        return concat((branch1, branch3, branch5, branch_pool), axis=1)
