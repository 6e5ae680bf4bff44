"""DenseNet (Huang et al. 2017): dense blocks in which every layer sees the
concatenated outputs of all layers before it, joined by transitions that
compress the channels and halve the size.  This file holds the blocks and
the network, and the ImageNet DenseNet-121; the CIFAR variants are in
:mod:`chainvision.models.densenet_cifar`.

Reference: G. Huang, Z. Liu, L. van der Maaten, K. Q. Weinberger, "Densely
Connected Convolutional Networks", CVPR 2017 (arXiv:1608.06993), Table 1
(DenseNet-BC: bottleneck layers and compression 0.5).

Initialization as the reference implementations (torchvision, the UvA
tutorial): convolutions He-normal with fan-in and the activation's gain,
BatchNorm gamma 1 and beta 0; the fully connected layer keeps Chainer's
default (LeCun-normal, zero bias).
"""

import functools
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import torch

from chainvision import functions as F
from chainvision import links as L
from chainvision.initializers import Initializer
from chainvision.link import Chain, Link
from chainvision.models._base import (
    Activation, FeatureInfo, ImageClassifier, batch_norm_act, global_average_pooling_2d,
    he_normal, set_batch_norm_eps)
from chainvision.models._registry import register
from chainvision.models.weights import layouts
from chainvision.sequential import Sequential


class DenseLayer(Chain):
    """A bottleneck dense layer: BN-act-1x1 conv to ``bn_size * growth_rate``
    channels, BN-act-3x3 conv to ``growth_rate`` channels, and the result
    concatenated to the input.  Input ``(N, C, H, W)``, output
    ``(N, C + growth_rate, H, W)``.  ``act`` sees BatchNorm outputs only,
    so it may work in place (so do :class:`Transition` and the stems)."""

    def __init__(self, in_channels: int, growth_rate: int, bn_size: int, act: Activation,
                 initialW: Initializer) -> None:
        super().__init__()
        self.act = act
        mid_channels = bn_size * growth_rate
        with self.init_scope():
            self.bn1 = L.BatchNormalization(in_channels)
            self.conv1 = L.Convolution2D(in_channels, mid_channels, 1, nobias=True,
                                         initialW=initialW)
            self.bn2 = L.BatchNormalization(mid_channels)
            self.conv2 = L.Convolution2D(mid_channels, growth_rate, 3, pad=1, nobias=True,
                                         initialW=initialW)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.conv1(batch_norm_act(self.bn1, x, self.act))
        h = self.conv2(batch_norm_act(self.bn2, h, self.act))
        return F.concat((x, h), axis=1)


class Transition(Chain):
    """BN-act-1x1 conv to ``out_channels`` (the compression), then 2x2
    average pooling: ``(N, C, H, W)`` -> ``(N, out_channels, H / 2, W / 2)``."""

    def __init__(self, in_channels: int, out_channels: int, act: Activation,
                 initialW: Initializer) -> None:
        super().__init__()
        self.act = act
        with self.init_scope():
            self.bn = L.BatchNormalization(in_channels)
            self.conv = L.Convolution2D(in_channels, out_channels, 1, nobias=True,
                                        initialW=initialW)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.average_pooling_2d(self.conv(batch_norm_act(self.bn, x, self.act)), 2, stride=2)


def cifar_stem(in_channels: int, out_channels: int, act: Activation,
               initialW: Initializer) -> Link:
    """The CIFAR input layer: a 3x3 convolution with bias (as in the UvA
    tutorial) keeping the 32x32 size."""
    return L.Convolution2D(in_channels, out_channels, 3, pad=1, initialW=initialW)


def imagenet_stem(in_channels: int, out_channels: int, act: Activation,
                  initialW: Initializer) -> Link:
    """The ImageNet input layers: 7x7 stride-2 convolution without bias, BN,
    act, 3x3 stride-2 max-pooling with padding 1 (224 -> 112 -> 56)."""
    return Sequential(
        L.Convolution2D(in_channels, out_channels, 7, stride=2, pad=3, nobias=True,
                        initialW=initialW),
        L.BatchNormalization(out_channels),
        act,
        functools.partial(F.max_pooling_2d, ksize=3, stride=2, pad=1, cover_all=False))


STEMS = {'cifar': cifar_stem, 'imagenet': imagenet_stem}
# Stride of each stem's output.
STEM_STRIDES = {'cifar': 1, 'imagenet': 4}


class DenseNet(ImageClassifier):
    """DenseNet: stem, dense blocks separated by transitions, BN-act, global
    average pooling, fully connected layer.

    Args:
        num_layers (tuple of int): dense layers per block (default
            ``(6, 12, 24, 16)``, DenseNet-121).
        growth_rate (int): channels each dense layer adds, ``k`` (default 32).
        bn_size (int): bottleneck width as a multiple of ``k`` (default 4).
        compression (float): channel factor of each transition, ``theta``
            (default 0.5); channels are rounded down.
        stem (str): ``'imagenet'`` (:func:`imagenet_stem`) or ``'cifar'``
            (:func:`cifar_stem`).
        stem_channels (int): channels out of the stem (default ``2 * k``).
        num_classes (int): outputs (default 1000).
        in_channels (int): input channels (default 3).
        act_fn: the activation (default ``'relu'``).
        bn_eps (float): BatchNorm's epsilon (default 2e-5, Chainer's;
            torchvision's and timm's weights need 1e-5).

    Links: ``stem``, ``block1``... (each a :class:`~chainvision.Sequential`
    of :class:`DenseLayer`), ``trans1``... (:class:`Transition`), ``bn``,
    ``fc``.
    """

    def __init__(self, num_layers: Sequence[int] = (6, 12, 24, 16), growth_rate: int = 32,
                 bn_size: int = 4, compression: float = 0.5, stem: str = 'imagenet',
                 stem_channels: int | None = None, num_classes: int = 1000,
                 in_channels: int = 3, act_fn: str | Activation = 'relu',
                 bn_eps: float = 2e-5) -> None:
        super().__init__(num_classes, in_channels, act_fn)
        if stem not in STEMS:
            raise ValueError("stem must be 'imagenet' or 'cifar', got {!r}.".format(stem))
        if not 0.0 < compression <= 1.0:
            raise ValueError('compression must be in (0, 1], got {}.'.format(compression))
        initialW = he_normal(act_fn, 'fan_in')
        channels = stem_channels or 2 * growth_rate
        self.num_blocks = len(num_layers)
        self.num_layers = tuple(num_layers)
        feature_info = []
        with self.init_scope():
            self.stem = STEMS[stem](in_channels, channels, self.inplace_act, initialW)
            for index, n in enumerate(num_layers, start=1):
                layers = [DenseLayer(channels + i * growth_rate, growth_rate, bn_size,
                                     self.inplace_act, initialW) for i in range(n)]
                self.add_link('block{}'.format(index), Sequential(*layers))
                channels += n * growth_rate
                feature_info.append(FeatureInfo('block{}'.format(index), channels,
                                                STEM_STRIDES[stem] * 2 ** (index - 1)))
                if index < self.num_blocks:
                    out_channels = int(channels * compression)
                    self.add_link('trans{}'.format(index),
                                  Transition(channels, out_channels, self.inplace_act, initialW))
                    channels = out_channels
            self.bn = L.BatchNormalization(channels)
            self.fc = L.Linear(channels, num_classes)
        self.feature_info = feature_info
        self.head_links = ('fc',)
        set_batch_norm_eps(self, bn_eps)

    def forward_stages(self, x: torch.Tensor) -> Iterator[torch.Tensor]:
        """Yield each dense block's output (the stem opens the first, the
        transition before it opens each other); the last one after the
        final BN and activation."""
        h = self.stem(x)
        for index in range(1, self.num_blocks + 1):
            if index > 1:
                h = self['trans{}'.format(index - 1)](h)
            h = self['block{}'.format(index)](h)
            if index == self.num_blocks:
                h = batch_norm_act(self.bn, h, self.inplace_act)
            yield h

    def torchvision_arrays(self, state_dict: Mapping[str, Any]) -> dict[str, Any]:
        """``{npz key: array}`` from torchvision's or timm's DenseNet
        ``state_dict``
        (:func:`~chainvision.models.weights.layouts.densenet_torchvision_arrays`)."""
        return layouts.densenet_torchvision_arrays(state_dict, self.num_layers)

    def forward_head(self, h: torch.Tensor) -> torch.Tensor:
        """Global average pooling and ``fc``: logits ``(N, num_classes)``."""
        return self.fc(global_average_pooling_2d(h))


@register(input_size=(3, 224, 224),
          reference='Huang et al. 2017, Densely Connected Convolutional Networks '
                    '(arXiv:1608.06993)')
def densenet121(**hparams: Any) -> DenseNet:
    """DenseNet-121 for ImageNet (Huang et al. 2017, Table 1: k=32, blocks of
    6, 12, 24, 16 layers, compression 0.5).

    7,978,856 parameters with 1000 classes.  Hyper-parameters: those of
    :class:`DenseNet`.
    """
    return DenseNet(**hparams)
