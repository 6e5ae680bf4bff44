"""VGG-16 (Simonyan & Zisserman 2015, configuration D), with and without
BatchNorm, and a CIFAR-size variant.

Reference: K. Simonyan, A. Zisserman, "Very Deep Convolutional Networks for
Large-Scale Image Recognition", ICLR 2015 (arXiv:1409.1556), Table 1 D:
thirteen 3x3 convolutions (with bias) in five stages of 64, 128, 256, 512,
512 channels, each stage ending in 2x2 max-pooling, then fully connected
layers of 4096, 4096 and 1000 units, dropout 0.5 after the first two.  Link
names are those of Chainer's ``L.VGG16Layers`` (``conv1_1``... ``conv5_3``,
``fc6``, ``fc7``, ``fc8``).

Initialization as torchvision's VGG: convolutions He-normal with fan-out
and zero bias, fully connected weights N(0, 0.01^2) and zero bias (the
paper's N(0, 0.01^2), which it used for its shallowest net), BatchNorm
gamma 1 and beta 0.
"""

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy
import torch

from chainvision import functions as F
from chainvision import initializers
from chainvision import links as L
from chainvision.models._base import (
    Activation, FeatureInfo, ImageClassifier, batch_norm_act, dropout, he_normal,
    set_batch_norm_eps)
from chainvision.models._registry import register
from chainvision.models.weights import layouts

REFERENCE = ('Simonyan & Zisserman 2015, Very Deep Convolutional Networks for Large-Scale '
             'Image Recognition (arXiv:1409.1556)')

# Convolutions per stage and their channels: configuration D of Table 1.
VGG16_STAGES = ((2, 64), (2, 128), (3, 256), (3, 512), (3, 512))


class VGG(ImageClassifier):
    """A VGG network: stages of 3x3 convolutions (padding 1) + activation
    (BN in between with ``batch_norm``), each stage followed by 2x2
    max-pooling, then fully connected layers.

    Args:
        stages (tuple): ``(number of convolutions, channels)`` per stage
            (default: VGG-16).
        batch_norm (bool): BatchNorm after each convolution (``bn1_1``...).
        fc_hidden (tuple of int): widths of the hidden fully connected
            layers, each followed by the activation and 50% dropout
            (default ``(4096, 4096)``; ``()`` for a single classifier layer).
        input_size (int): height and width of the input images; the first
            fully connected layer sees ``channels x (input_size / 32)^2``
            values, so other sizes are rejected (default 224).
        num_classes (int): outputs (default 1000).
        in_channels (int): input channels (default 3).
        act_fn: the activation (default ``'relu'``).
        bn_eps (float): BatchNorm's epsilon (default 2e-5, Chainer's;
            torchvision's and timm's weights need 1e-5).

    Links: ``conv{stage}_{i}`` (``bn{stage}_{i}``), then ``fc6``, ``fc7``...
    numbered on from the convolutions, the last one giving the logits.
    """

    def __init__(self, stages: Sequence[tuple[int, int]] = VGG16_STAGES, batch_norm: bool = False,
                 fc_hidden: Sequence[int] = (4096, 4096), input_size: int = 224,
                 num_classes: int = 1000, in_channels: int = 3,
                 act_fn: str | Activation = 'relu', bn_eps: float = 2e-5) -> None:
        super().__init__(num_classes, in_channels, act_fn)
        reduction = 2 ** len(stages)
        if input_size % reduction:
            raise ValueError('input_size must be a multiple of {}, got {}.'.format(
                reduction, input_size))
        self.input_size = input_size
        self.batch_norm = batch_norm
        self.stage_sizes = tuple(n for n, _ in stages)
        conv_init = he_normal(act_fn, 'fan_out')
        fc_init = initializers.Normal(0.01)
        channels = in_channels
        with self.init_scope():
            for stage, (n, width) in enumerate(stages, start=1):
                for i in range(1, n + 1):
                    self.add_link('conv{}_{}'.format(stage, i), L.Convolution2D(
                        channels, width, 3, pad=1, initialW=conv_init))
                    if batch_norm:
                        self.add_link('bn{}_{}'.format(stage, i), L.BatchNormalization(width))
                    channels = width
            sizes = (channels * (input_size // reduction) ** 2,) + tuple(fc_hidden) + (
                num_classes,)
            self.fc_names = tuple('fc{}'.format(6 + i) for i in range(len(sizes) - 1))
            for name, in_size, out_size in zip(self.fc_names, sizes, sizes[1:]):
                self.add_link(name, L.Linear(in_size, out_size, initialW=fc_init))
        self.feature_info = [FeatureInfo('pool{}'.format(stage), width, 2 ** stage)
                             for stage, (_, width) in enumerate(stages, start=1)]
        self.head_links = self.fc_names
        set_batch_norm_eps(self, bn_eps)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits ``(N, num_classes)`` of images ``x``
        ``(N, in_channels, input_size, input_size)``."""
        if tuple(x.shape[2:]) != (self.input_size, self.input_size):
            raise ValueError('This VGG takes {0}x{0} images (its first fully connected layer '
                             'is sized for them), got {1}; build it with input_size={2}.'.format(
                                 self.input_size, 'x'.join(map(str, x.shape[2:])), x.shape[2]))
        return super().forward(x)

    def forward_stages(self, x: torch.Tensor) -> Iterator[torch.Tensor]:
        """Yield each stage's map after its 2x2 max-pooling (``pool1``...
        ``pool5``, strides 2-32); any size that pools down works here, only
        the head needs ``input_size``."""
        h = x
        for stage, n in enumerate(self.stage_sizes, start=1):
            for i in range(1, n + 1):
                h = self['conv{}_{}'.format(stage, i)](h)
                h = (batch_norm_act(self['bn{}_{}'.format(stage, i)], h, self.inplace_act)
                     if self.batch_norm else self.inplace_act(h))
            h = F.max_pooling_2d(h, 2, stride=2)
            yield h

    def torchvision_arrays(self, state_dict: Mapping[str, Any]) -> dict[str, Any]:
        """``{npz key: array}`` from torchvision's or timm's ``vgg16`` /
        ``vgg16_bn`` ``state_dict``
        (:func:`~chainvision.models.weights.layouts.vgg_torchvision_arrays`)."""
        return layouts.vgg_torchvision_arrays(state_dict, self.stage_sizes, self.fc_names,
                                              self.batch_norm)

    def caffe_arrays(self, layers: Mapping[str, list[numpy.ndarray]]) -> dict[str, Any]:
        """``{npz key: array}`` from the VGG team's Caffe layers
        (:func:`~chainvision.models.weights.layouts.vgg_caffe_arrays`)."""
        if self.batch_norm:
            raise ValueError('VGG with BatchNorm has no Caffe counterpart.')
        return layouts.vgg_caffe_arrays(layers, self.stage_sizes, self.fc_names)

    def forward_head(self, h: torch.Tensor) -> torch.Tensor:
        """The fully connected layers (activation and 50% dropout after each
        hidden one) on the flattened last map: logits ``(N, num_classes)``."""
        for name in self.fc_names[:-1]:
            h = dropout(self.inplace_act(self[name](h)), 0.5, self)
        return self[self.fc_names[-1]](h)


@register(input_size=(3, 224, 224), reference=REFERENCE)
def vgg16(**hparams: Any) -> VGG:
    """VGG-16 for 224x224 ImageNet images (Simonyan & Zisserman 2015, D).

    138,357,544 parameters with 1000 classes.  Hyper-parameters:
    ``num_classes``, ``in_channels``, ``act_fn``, ``input_size``,
    ``fc_hidden`` (see :class:`VGG`).
    """
    return VGG(**hparams)


@register(input_size=(3, 224, 224), reference=REFERENCE + ', with BatchNorm (Ioffe & Szegedy 2015)')
def vgg16_bn(**hparams: Any) -> VGG:
    """VGG-16 with BatchNorm after every convolution, for 224x224 images.

    138,365,992 parameters with 1000 classes.  Hyper-parameters as
    :func:`vgg16`.
    """
    return VGG(batch_norm=True, **hparams)


@register(input_size=(3, 32, 32), reference=REFERENCE + ', CIFAR variant with BatchNorm')
def vgg16_cifar(**hparams: Any) -> VGG:
    """VGG-16 for 32x32 images: BatchNorm after every convolution and a single
    fully connected layer 512 -> classes on the 1x1 map.

    14,728,266 parameters with 10 classes.  Hyper-parameters:
    ``num_classes`` (default 10), ``in_channels``, ``act_fn``.
    """
    hparams.setdefault('num_classes', 10)
    return VGG(batch_norm=True, fc_hidden=(), input_size=32, **hparams)
