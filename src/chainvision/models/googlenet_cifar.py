"""The UvA tutorial's reduced GoogLeNet for 32x32 images.

Reference: P. Lippe, UvA Deep Learning Tutorial 5, "Inception, ResNet and
DenseNet" (after Szegedy et al. 2014, arXiv:1409.4842): the Inception
module of :mod:`chainvision.models.googlenet` with every convolution
followed by BatchNorm and the activation, on a 3x3 input convolution; no
LRN, no auxiliary classifiers.

Initialization as the tutorial: convolutions He-normal (fan-in, with the
activation's gain), biases 0, BatchNorm gamma 1 and beta 0; the final fully
connected layer keeps Chainer's default (LeCun-normal, zero bias).
"""

import functools
from collections.abc import Iterator
from typing import Any

import torch

from chainvision import functions as F
from chainvision import links as L
from chainvision.initializers import Initializer
from chainvision.link import Chain
from chainvision.models._base import (
    Activation, FeatureInfo, ImageClassifier, global_average_pooling_2d, he_normal)
from chainvision.models._registry import register
from chainvision.sequential import Sequential


class ConvBN(Chain):
    """Convolution (with bias, as the tutorial's ``nn.Conv2d`` default)
    followed by BatchNorm; the activation is applied by the caller.
    Input ``(N, in_channels, H, W)``, output ``(N, out_channels, H', W')``."""

    def __init__(self, in_channels: int, out_channels: int, ksize: int, pad: int,
                 initialW: Initializer) -> None:
        super().__init__()
        with self.init_scope():
            self.conv = L.Convolution2D(in_channels, out_channels, ksize, pad=pad,
                                        initialW=initialW)
            self.bn = L.BatchNormalization(out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.bn(self.conv(x))


# The tutorial's Inception blocks in order, in Chainer's argument order
# (in_channels, out1, proj3, out3, proj5, out5, proj_pool); None marks a
# 3x3 stride-2 max-pooling.
INCEPTION_BLOCKS = (
    (64, 16, 32, 32, 16, 8, 8),
    (64, 24, 32, 48, 16, 12, 12),
    None,
    (96, 24, 32, 48, 16, 12, 12),
    (96, 16, 32, 48, 16, 16, 16),
    (96, 16, 32, 48, 16, 16, 16),
    (96, 32, 32, 48, 16, 24, 24),
    None,
    (128, 32, 48, 64, 16, 16, 16),
    (128, 32, 48, 64, 16, 16, 16),
)


def _max_pool(x: torch.Tensor) -> torch.Tensor:
    # PyTorch's floor rounding, as the tutorial: 32 -> 16 -> 8 (Chainer's
    # default cover_all would give 17).
    return F.max_pooling_2d(x, 3, stride=2, pad=1, cover_all=False)


class GoogLeNetCIFAR(ImageClassifier):
    """The reduced GoogLeNet: 3x3 conv 64 + BN + act, the
    :data:`INCEPTION_BLOCKS` (32x32 -> 16x16 -> 8x8 maps), global average
    pooling, fully connected 128 -> ``num_classes``.

    Args:
        num_classes (int): outputs (default 10).
        in_channels (int): input channels (default 3).
        act_fn: the activation (default ``'relu'``).

    Links: ``input_conv``, ``blocks`` (a :class:`~chainvision.Sequential` of
    Inception modules and pooling functions), ``fc``.
    """

    def __init__(self, num_classes: int = 10, in_channels: int = 3,
                 act_fn: str | Activation = 'relu') -> None:
        super().__init__(num_classes, in_channels, act_fn)
        conv_unit = functools.partial(ConvBN, initialW=he_normal(act_fn, 'fan_in'))
        with self.init_scope():
            self.input_conv = conv_unit(in_channels, 64, 3, pad=1)
            self.blocks = Sequential(*[
                _max_pool if config is None else L.Inception(*config, act=self.inplace_act,
                                                             conv_unit=conv_unit)
                for config in INCEPTION_BLOCKS])
            self.fc = L.Linear(128, num_classes)
        # One stage per resolution: the Inception modules before each pooling.
        self.feature_info = [FeatureInfo('blocks/1', 96, 1), FeatureInfo('blocks/6', 128, 2),
                             FeatureInfo('blocks/9', 128, 4)]
        self.head_links = ('fc',)

    def forward_stages(self, x: torch.Tensor) -> Iterator[torch.Tensor]:
        """Yield the map before each pooling of ``blocks`` and the last one:
        strides 1, 2, 4."""
        h = self.inplace_act(self.input_conv(x))
        for layer in self.blocks:
            if layer is _max_pool:
                yield h
            h = layer(h)
        yield h

    def forward_head(self, h: torch.Tensor) -> torch.Tensor:
        """Global average pooling and ``fc``: logits ``(N, num_classes)``."""
        return self.fc(global_average_pooling_2d(h))


@register(input_size=(3, 32, 32),
          reference='Lippe, UvA Deep Learning Tutorial 5 (Inception, ResNet and DenseNet); '
                    'Szegedy et al. 2014')
def googlenet_cifar(**hparams: Any) -> GoogLeNetCIFAR:
    """The UvA tutorial's GoogLeNet for 32x32 images (CIFAR-10).

    260,650 parameters with 10 classes.  Hyper-parameters: those of
    :class:`GoogLeNetCIFAR`.
    """
    return GoogLeNetCIFAR(**hparams)
