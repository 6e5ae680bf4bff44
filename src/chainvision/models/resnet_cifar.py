"""ResNets for 32x32 images: He et al.'s CIFAR-10 networks and the UvA
tutorial's configurable (pre-activation) ResNet.

References:

- K. He, X. Zhang, S. Ren, J. Sun, "Deep Residual Learning for Image
  Recognition", CVPR 2016 (arXiv:1512.03385), Sec. 4.2: a 3x3 convolution
  with 16 filters, then three stages of ``n`` basic blocks with 16, 32 and
  64 filters on 32x32, 16x16 and 8x8 maps, global average pooling and a
  fully connected layer; ``6n + 2`` layers.
- K. He, X. Zhang, S. Ren, J. Sun, "Identity Mappings in Deep Residual
  Networks", ECCV 2016 (arXiv:1603.05027): the pre-activation block.
- P. Lippe, UvA Deep Learning Tutorial 5, "Inception, ResNet and DenseNet":
  ``ResNet(num_blocks, c_hidden, block_name)``, whose variants are
  :func:`resnet_cifar` and :func:`preact_resnet_cifar`.

Initialization (both references): convolutions He-normal with fan-out and
the activation's gain, BatchNorm gamma 1 and beta 0; the final fully
connected layer keeps Chainer's default (LeCun-normal, zero bias).
"""

from collections.abc import Iterator, Sequence
from typing import Any

import torch

from chainvision import functions as F
from chainvision import links as L
from chainvision.initializers import Initializer
from chainvision.link import Chain
from chainvision.models._base import (
    Activation, FeatureInfo, ImageClassifier, batch_norm_act, global_average_pooling_2d,
    he_normal)
from chainvision.models._registry import register
from chainvision.sequential import Sequential

HE2016 = ('He et al. 2016, Deep Residual Learning for Image Recognition '
          '(arXiv:1512.03385), CIFAR-10 networks')
UVA = 'Lippe, UvA Deep Learning Tutorial 5 (Inception, ResNet and DenseNet)'


def conv3x3(in_channels: int, out_channels: int, stride: int,
            initialW: Initializer) -> L.Convolution2D:
    """3x3 convolution without bias, padding 1 (keeps the size at stride 1)."""
    return L.Convolution2D(in_channels, out_channels, 3, stride=stride, pad=1, nobias=True,
                           initialW=initialW)


# -- shortcuts: how a block's input reaches its output when the shape changes --

class ZeroPadShortcut(Chain):
    """Option A of He et al. 2016: take every ``stride``-th pixel and append
    zero channels up to ``out_channels``.  Parameter-free."""

    def __init__(self, in_channels: int, out_channels: int, stride: int) -> None:
        super().__init__()
        self.extra_channels = out_channels - in_channels
        self.stride = stride

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # x[:, :, ::stride, ::stride], as a 1x1 average pooling: the slice's
        # backward makes a contiguous (NCHW) gradient, which meets the
        # channels-last gradient of the block's branch, and an elementwise op
        # on the two layouts takes PyTorch's slow strided path on the CPU (about
        # a tenth of a bf16 ResNet-20 step).  Pooling keeps the layout.
        h = torch.nn.functional.avg_pool2d(x, kernel_size=1, stride=self.stride)
        return F.pad(h, ((0, 0), (0, self.extra_channels), (0, 0), (0, 0)), 'constant')


class ProjectionShortcut(Chain):
    """A 1x1 convolution with stride, optionally wrapped in BatchNorm.

    - Option B of He et al. 2016: ``batch_norm='after'``, conv without bias.
    - The UvA plain ResNet: ``batch_norm=None``, conv with bias.
    - The UvA pre-activation ResNet: ``batch_norm='before'`` (BN and the
      activation on the input, then the conv without bias).
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int, initialW: Initializer,
                 act: Activation | None = None, batch_norm: str | None = None) -> None:
        super().__init__()
        if batch_norm not in (None, 'before', 'after'):
            raise ValueError("batch_norm must be None, 'before' or 'after', got {!r}.".format(
                batch_norm))
        if batch_norm == 'before' and act is None:
            raise ValueError("batch_norm='before' applies the activation: give act.")
        self.batch_norm = batch_norm
        self.act = act
        with self.init_scope():
            if batch_norm is not None:
                self.bn = L.BatchNormalization(in_channels if batch_norm == 'before'
                                               else out_channels)
            self.conv = L.Convolution2D(in_channels, out_channels, 1, stride=stride,
                                        nobias=batch_norm is not None, initialW=initialW)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.batch_norm == 'before':
            assert self.act is not None  # __init__ refuses 'before' without it
            return self.conv(batch_norm_act(self.bn, x, self.act))
        if self.batch_norm == 'after':
            return self.bn(self.conv(x))
        return self.conv(x)


# BatchNorm placement of each projection shortcut (see ProjectionShortcut).
_PROJECTION_BATCH_NORM = {'B': 'after', 'conv': None, 'preact': 'before'}


def make_shortcut(shortcut: str, in_channels: int, out_channels: int, stride: int,
                  initialW: Initializer, act: Activation) -> Chain | None:
    """The shortcut named ``shortcut`` (``'A'``, ``'B'``, ``'conv'`` or
    ``'preact'``, see above); ``None`` (the identity) when the shape does
    not change."""
    if shortcut != 'A' and shortcut not in _PROJECTION_BATCH_NORM:
        raise ValueError("shortcut must be 'A', 'B', 'conv' or 'preact', got {!r}.".format(
            shortcut))
    if stride == 1 and in_channels == out_channels:
        return None
    if shortcut == 'A':
        return ZeroPadShortcut(in_channels, out_channels, stride)
    return ProjectionShortcut(in_channels, out_channels, stride, initialW, act,
                              _PROJECTION_BATCH_NORM[shortcut])


# -- blocks --------------------------------------------------------------------

class BasicBlock(Chain):
    """The basic residual block of He et al. 2016 (Fig. 2, left):
    ``act(bn2(conv2(act(bn1(conv1(x))))) + shortcut(x))`` with 3x3
    convolutions; ``conv1`` carries the stride.  Input
    ``(N, in_channels, H, W)``, output ``(N, out_channels, H / stride, W / stride)``.
    ``act`` and the addition touch fresh results only, so they work in place
    (``act`` may be an in-place activation); for ReLU each BatchNorm applies
    them in its own pass (:func:`~chainvision.models._base.batch_norm_act`).
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int, act: Activation,
                 shortcut: str, initialW: Initializer) -> None:
        super().__init__()
        self.act = act
        with self.init_scope():
            self.conv1 = conv3x3(in_channels, out_channels, stride, initialW)
            self.bn1 = L.BatchNormalization(out_channels)
            self.conv2 = conv3x3(out_channels, out_channels, 1, initialW)
            self.bn2 = L.BatchNormalization(out_channels)
            self.shortcut = make_shortcut(shortcut, in_channels, out_channels, stride,
                                          initialW, act)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = batch_norm_act(self.bn1, self.conv1(x), self.act)
        shortcut = x if self.shortcut is None else self.shortcut(x)
        return batch_norm_act(self.bn2, self.conv2(h), self.act, residual=shortcut)


class PreActBlock(Chain):
    """The pre-activation block of He et al.'s "Identity Mappings" (Fig. 1b):
    ``conv2(act(bn2(conv1(act(bn1(x)))))) + shortcut(x)``, nothing after
    the addition.  Shapes as :class:`BasicBlock`; ``act`` and the addition
    work in place, as there.
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int, act: Activation,
                 shortcut: str, initialW: Initializer) -> None:
        super().__init__()
        self.act = act
        with self.init_scope():
            self.bn1 = L.BatchNormalization(in_channels)
            self.conv1 = conv3x3(in_channels, out_channels, stride, initialW)
            self.bn2 = L.BatchNormalization(out_channels)
            self.conv2 = conv3x3(out_channels, out_channels, 1, initialW)
            self.shortcut = make_shortcut(shortcut, in_channels, out_channels, stride,
                                          initialW, act)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.conv1(batch_norm_act(self.bn1, x, self.act))
        h = self.conv2(batch_norm_act(self.bn2, h, self.act))
        h += x if self.shortcut is None else self.shortcut(x)
        return h


BLOCKS = {'plain': BasicBlock, 'preact': PreActBlock}


# -- the network ---------------------------------------------------------------

class ResNetCIFAR(ImageClassifier):
    """A ResNet for small images: 3x3 input convolution, stages of residual
    blocks (each stage after the first halves the size with stride 2),
    global average pooling, fully connected layer.

    Args:
        num_blocks (tuple of int): blocks per stage (default ``(3, 3, 3)``).
        c_hidden (tuple of int): channels per stage (default ``(16, 32, 64)``).
        block (str): ``'plain'`` (:class:`BasicBlock`, with BN and the
            activation after the input convolution) or ``'preact'``
            (:class:`PreActBlock`, the input convolution alone, as in the UvA
            tutorial, which also has no final BN-activation).
        shortcut (str): where the shape changes: ``'A'`` (zero-padding,
            He et al.'s CIFAR choice), ``'B'`` (1x1 conv + BN), ``'conv'``
            (1x1 conv with bias, UvA plain) or ``'preact'`` (BN-act-1x1 conv,
            UvA pre-activation).
        num_classes (int): outputs (default 10).
        in_channels (int): input channels (default 3).
        act_fn: the activation (default ``'relu'``).

    Links: ``conv1`` (and ``bn1`` for plain blocks), ``stage1``... (each a
    :class:`~chainvision.Sequential` of blocks), ``fc``.
    """

    def __init__(self, num_blocks: Sequence[int] = (3, 3, 3),
                 c_hidden: Sequence[int] = (16, 32, 64), block: str = 'plain',
                 shortcut: str = 'A', num_classes: int = 10, in_channels: int = 3,
                 act_fn: str | Activation = 'relu') -> None:
        super().__init__(num_classes, in_channels, act_fn)
        if block not in BLOCKS:
            raise ValueError("block must be 'plain' or 'preact', got {!r}.".format(block))
        if len(num_blocks) != len(c_hidden):
            raise ValueError('num_blocks {} and c_hidden {} must have the same length.'.format(
                num_blocks, c_hidden))
        self.block = block
        initialW = he_normal(act_fn, 'fan_out')
        with self.init_scope():
            self.conv1 = conv3x3(in_channels, c_hidden[0], 1, initialW)
            if block == 'plain':
                self.bn1 = L.BatchNormalization(c_hidden[0])
            channels = c_hidden[0]
            for index, (n, width) in enumerate(zip(num_blocks, c_hidden)):
                blocks = [BLOCKS[block](channels if i == 0 else width, width,
                                        2 if i == 0 and index > 0 else 1, self.inplace_act,
                                        shortcut, initialW)
                          for i in range(n)]
                self.add_link('stage{}'.format(index + 1), Sequential(*blocks))
                channels = width
            self.fc = L.Linear(channels, num_classes)
        self.num_stages = len(num_blocks)
        self.feature_info = [FeatureInfo('stage{}'.format(index + 1), width, 2 ** index)
                             for index, width in enumerate(c_hidden)]
        self.head_links = ('fc',)

    def forward_stages(self, x: torch.Tensor) -> Iterator[torch.Tensor]:
        """Yield the output of each stage (the input convolution opens the
        first): strides 1, 2, 4..."""
        h = self.conv1(x)
        if self.block == 'plain':
            h = batch_norm_act(self.bn1, h, self.inplace_act)
        for index in range(self.num_stages):
            h = self['stage{}'.format(index + 1)](h)
            yield h

    def forward_head(self, h: torch.Tensor) -> torch.Tensor:
        """Global average pooling and ``fc``: logits ``(N, num_classes)``."""
        return self.fc(global_average_pooling_2d(h))


# -- builders ------------------------------------------------------------------

def _he2016(n: int, shortcut: str = 'A', **hparams: Any) -> ResNetCIFAR:
    return ResNetCIFAR(num_blocks=(n, n, n), c_hidden=(16, 32, 64), block='plain',
                       shortcut=shortcut, **hparams)


@register(input_size=(3, 32, 32), reference=HE2016)
def resnet20(**hparams: Any) -> ResNetCIFAR:
    """ResNet-20 (He et al. 2016, CIFAR-10, n=3).

    269,722 parameters with option A shortcuts and 10 classes (paper: 0.27M).
    Hyper-parameters: ``shortcut`` (``'A'`` or ``'B'``), ``num_classes``,
    ``in_channels``, ``act_fn``.
    """
    return _he2016(3, **hparams)


@register(input_size=(3, 32, 32), reference=HE2016)
def resnet32(**hparams: Any) -> ResNetCIFAR:
    """ResNet-32 (He et al. 2016, CIFAR-10, n=5).

    464,154 parameters with option A shortcuts and 10 classes (paper: 0.46M).
    Hyper-parameters as :func:`resnet20`.
    """
    return _he2016(5, **hparams)


@register(input_size=(3, 32, 32), reference=HE2016)
def resnet44(**hparams: Any) -> ResNetCIFAR:
    """ResNet-44 (He et al. 2016, CIFAR-10, n=7).

    658,586 parameters with option A shortcuts and 10 classes (paper: 0.66M).
    Hyper-parameters as :func:`resnet20`.
    """
    return _he2016(7, **hparams)


@register(input_size=(3, 32, 32), reference=HE2016)
def resnet56(**hparams: Any) -> ResNetCIFAR:
    """ResNet-56 (He et al. 2016, CIFAR-10, n=9).

    853,018 parameters with option A shortcuts and 10 classes (paper: 0.85M).
    Hyper-parameters as :func:`resnet20`.
    """
    return _he2016(9, **hparams)


@register(input_size=(3, 32, 32), reference=HE2016)
def resnet110(**hparams: Any) -> ResNetCIFAR:
    """ResNet-110 (He et al. 2016, CIFAR-10, n=18).

    1,727,962 parameters with option A shortcuts and 10 classes (paper: 1.7M).
    Hyper-parameters as :func:`resnet20`.
    """
    return _he2016(18, **hparams)


@register(input_size=(3, 32, 32), reference=HE2016)
def resnet1202(**hparams: Any) -> ResNetCIFAR:
    """ResNet-1202 (He et al. 2016, CIFAR-10, n=200).

    19,421,274 parameters with option A shortcuts and 10 classes (paper: 19.4M).
    Hyper-parameters as :func:`resnet20`.
    """
    return _he2016(200, **hparams)


@register(input_size=(3, 32, 32), reference=UVA)
def resnet_cifar(num_blocks: Sequence[int] = (3, 3, 3), c_hidden: Sequence[int] = (16, 32, 64),
                 block: str = 'plain', **hparams: Any) -> ResNetCIFAR:
    """The UvA tutorial's configurable CIFAR ResNet: 1x1 stride-2 convolution
    shortcuts (with bias for ``block='plain'``, BN-act-conv without bias for
    ``block='preact'``).

    272,378 parameters with the defaults and 10 classes; 272,250 with
    ``block='preact'``.  Hyper-parameters: ``num_blocks``, ``c_hidden``,
    ``block``, ``num_classes``, ``in_channels``, ``act_fn``.
    """
    shortcut = 'preact' if block == 'preact' else 'conv'
    return ResNetCIFAR(num_blocks, c_hidden, block, shortcut, **hparams)


@register(input_size=(3, 32, 32), reference=UVA)
def preact_resnet_cifar(**hparams: Any) -> ResNetCIFAR:
    """The UvA tutorial's pre-activation CIFAR ResNet: ``resnet_cifar`` with
    ``block='preact'``.

    272,250 parameters with 10 classes.  Hyper-parameters as
    :func:`resnet_cifar` but ``block``.
    """
    return resnet_cifar(block='preact', **hparams)
