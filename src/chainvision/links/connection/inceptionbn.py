"""The Inception module with batch normalization of BN-Inception (Ioffe &
Szegedy 2015, arXiv 1502.03167, Sec. 4.1 and Fig. 5)."""

from chainvision.configuration import get_dtype
from chainvision.functions.activation.relu import relu
from chainvision.functions.array.concat import concat
from chainvision.functions.pooling.average_pooling_2d import average_pooling_2d
from chainvision.functions.pooling.max_pooling_2d import max_pooling_2d
from chainvision.link import Chain
from chainvision.links.connection.convolution_2d import Convolution2D
from chainvision.links.normalization.batch_normalization import BatchNormalization


class InceptionBN(Chain):
    """Inception with batch normalization after every convolution
    (Chainer's ``L.InceptionBN``).  Branches, concatenated along the channels:

    - ``conv1`` + ``conv1n``: 1x1 to ``out1`` (only when ``out1 > 0``);
    - ``proj3`` + ``proj3n`` -> ``conv3`` + ``conv3n``: 1x1 to ``proj3``,
      3x3 with ``stride`` to ``out3``;
    - ``proj33`` + ``proj33n`` -> ``conv33a`` + ``conv33an`` -> ``conv33b`` +
      ``conv33bn``: 1x1 to ``proj33``, 3x3 to ``out33``, 3x3 with ``stride``
      to ``out33`` (the 5x5 branch factorized into two 3x3);
    - 3x3 pooling with ``stride`` and pad 1 (``'max'`` without cover_all,
      or ``'avg'`` counting the padding), then ``poolp`` + ``poolpn``: 1x1 to
      ``proj_pool`` when ``proj_pool`` is given.

    Each convolution has no bias and is followed by its batch normalization
    and ReLU.  Input ``(N, in_channels, H, W)``; output
    ``(N, out1 + out3 + out33 + (proj_pool or in_channels), H', W')`` with
    ``H' = ceil(H / stride)``.

    Args:
        in_channels (int or None): input channels.
        out1, proj3, out3, proj33, out33 (int): channels, as above.
        pooltype (str): ``'max'`` or ``'avg'``.
        proj_pool (int or None): channels of the pooling branch's projection.
        stride (int): stride of the 3x3 branches and the pooling.
        conv_init: initializer of every ``W``.
        dtype: dtype of the batch normalizations' parameters (default
            :func:`~chainvision.get_dtype`).

    Raises:
        AssertionError: ``out1 > 0`` with ``stride != 1`` or without
            ``proj_pool`` (Chainer's exception type, which its tests expect).
        NotImplementedError: for another ``pooltype``, as in Chainer.
    """

    def __init__(self, in_channels, out1, proj3, out3, proj33, out33, pooltype,
                 proj_pool=None, stride=1, conv_init=None, dtype=None):
        super().__init__()
        if pooltype not in ('max', 'avg'):
            raise NotImplementedError(
                "InceptionBN: pooltype must be 'max' or 'avg', got {!r}".format(pooltype))
        if out1 > 0 and (stride != 1 or proj_pool is None):
            raise AssertionError('InceptionBN: a 1x1 branch (out1 > 0) needs stride 1 and a '
                                 'proj_pool; got stride {} and proj_pool {}'.format(
                                     stride, proj_pool))
        self.out1 = out1
        self.proj_pool = proj_pool
        self.stride = stride
        self.pooltype = pooltype
        dtype = get_dtype(dtype)

        def conv(n_in, n_out, ksize, stride=1):
            return Convolution2D(n_in, n_out, ksize, stride=stride, pad=ksize // 2, nobias=True,
                                 initialW=conv_init)

        with self.init_scope():
            self.proj3 = conv(in_channels, proj3, 1)
            self.conv3 = conv(proj3, out3, 3, stride)
            self.proj33 = conv(in_channels, proj33, 1)
            self.conv33a = conv(proj33, out33, 3)
            self.conv33b = conv(out33, out33, 3, stride)
            self.proj3n = BatchNormalization(proj3, dtype=dtype)
            self.conv3n = BatchNormalization(out3, dtype=dtype)
            self.proj33n = BatchNormalization(proj33, dtype=dtype)
            self.conv33an = BatchNormalization(out33, dtype=dtype)
            self.conv33bn = BatchNormalization(out33, dtype=dtype)
            if out1 > 0:
                self.conv1 = conv(in_channels, out1, 1)
                self.conv1n = BatchNormalization(out1, dtype=dtype)
            if proj_pool is not None:
                self.poolp = conv(in_channels, proj_pool, 1)
                self.poolpn = BatchNormalization(proj_pool, dtype=dtype)

    def _conv_bn_relu(self, name, x):
        return relu(self[name + 'n'](self[name](x)))

    def forward(self, x):
        """Apply the module to ``x`` ``(N, C, H, W)``."""
        outs = []
        if self.out1 > 0:
            outs.append(self._conv_bn_relu('conv1', x))
        outs.append(self._conv_bn_relu('conv3', self._conv_bn_relu('proj3', x)))
        h33 = self._conv_bn_relu('conv33a', self._conv_bn_relu('proj33', x))
        outs.append(self._conv_bn_relu('conv33b', h33))
        if self.pooltype == 'max':
            pooled = max_pooling_2d(x, 3, stride=self.stride, pad=1, cover_all=False)
        else:
            pooled = average_pooling_2d(x, 3, stride=self.stride, pad=1)
        if self.proj_pool is not None:
            pooled = self._conv_bn_relu('poolp', pooled)
        outs.append(pooled)
        return concat(outs, axis=1)
