"""ImageNet ResNets with bottleneck blocks: ResNet-50, -101 and -152.

Reference: K. He, X. Zhang, S. Ren, J. Sun, "Deep Residual Learning for
Image Recognition", CVPR 2016 (arXiv:1512.03385), Table 1 and Fig. 5
(right): 7x7/2 convolution, 3x3/2 max-pooling, four stages of bottleneck
blocks (1x1 reduce, 3x3, 1x1 expand by 4) at 56, 28, 14 and 7 pixels, with
projection shortcuts (option B) where the shape changes, global average
pooling, 1000-way fully connected layer.

Link names are those of Chainer's ``L.ResNet50Layers``: ``conv1``, ``bn1``,
``res2``... ``res5`` (each with blocks ``a``, ``b1``, ``b2``...), ``fc6``;
a block has ``conv1``-``conv3`` and ``bn1``-``bn3``, and its projection
``conv4``/``bn4``.

Two layouts of the downsampling block (``stride_in``):

- ``'3x3'`` (default): the stride on the 3x3 convolution, as torchvision
  and Facebook's ResNets ("ResNet v1.5"), whose ImageNet weights are the
  ones PyTorch users load; 4.1 GMACs at 224x224.  Stem max-pooling with
  padding 1, rounding down.
- ``'1x1'``: the stride on the first 1x1 convolution, as in the original
  MSRA Caffe models and Chainer's ``ResNet50Layers`` (3.9 GMACs, the
  paper's "3.8 billion FLOPs").  Stem max-pooling without padding, rounding
  up (Caffe's and Chainer's ``cover_all``).

Both give 56x56 after the stem at 224x224 and have the same parameters.
Unlike Chainer's ``ResNet50Layers``, ``conv1`` has no bias by default
(torchvision's layout; the counts below assume it): a Chainer npz file
loads, but its ``conv1/b`` is left out (the converted Caffe models have a
non-zero one); ``conv1_bias=True`` gives Chainer's layout.

Initialization: convolutions He-normal with fan-out (as torchvision and the
UvA tutorial), BatchNorm gamma 1 and beta 0, ``fc6`` Chainer's default
(LeCun-normal, zero bias).
"""

import functools
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy
import torch

from chainvision import functions as F
from chainvision import links as L
from chainvision.initializers import Initializer
from chainvision.link import Chain
from chainvision.models._base import (
    Activation, FeatureInfo, ImageClassifier, batch_norm_act, global_average_pooling_2d,
    he_normal, set_batch_norm_eps)
from chainvision.models._registry import register
from chainvision.models.weights import layouts

REFERENCE = ('He et al. 2016, Deep Residual Learning for Image Recognition '
             '(arXiv:1512.03385), ImageNet networks')

# Stem max-pooling of each layout (see the module docstring).
STEM_POOLING = {
    '3x3': functools.partial(F.max_pooling_2d, ksize=3, stride=2, pad=1, cover_all=False),
    '1x1': functools.partial(F.max_pooling_2d, ksize=3, stride=2, pad=0, cover_all=True),
}


class Bottleneck(Chain):
    """The bottleneck block (He et al. 2016, Fig. 5 right):
    ``act(bn3(conv3(act(bn2(conv2(act(bn1(conv1(x)))))))) + shortcut(x))``
    with ``conv1`` 1x1 to ``mid_channels``, ``conv2`` 3x3, ``conv3`` 1x1 to
    ``out_channels``; the shortcut is the identity or, where the shape
    changes, the projection ``bn4(conv4(x))`` (1x1 with stride).
    ``stride_in`` says which convolution, ``'1x1'`` or ``'3x3'``, carries
    the stride.  Input ``(N, in_channels, H, W)``, output
    ``(N, out_channels, H / stride, W / stride)``.  ``act`` and the addition
    touch fresh results only, so they work in place (``act`` may be an
    in-place activation).
    """

    def __init__(self, in_channels: int, mid_channels: int, out_channels: int, stride: int,
                 stride_in: str, act: Activation, initialW: Initializer) -> None:
        super().__init__()
        self.act = act
        stride_1x1, stride_3x3 = (stride, 1) if stride_in == '1x1' else (1, stride)
        with self.init_scope():
            self.conv1 = L.Convolution2D(in_channels, mid_channels, 1, stride=stride_1x1,
                                         nobias=True, initialW=initialW)
            self.bn1 = L.BatchNormalization(mid_channels)
            self.conv2 = L.Convolution2D(mid_channels, mid_channels, 3, stride=stride_3x3, pad=1,
                                         nobias=True, initialW=initialW)
            self.bn2 = L.BatchNormalization(mid_channels)
            self.conv3 = L.Convolution2D(mid_channels, out_channels, 1, nobias=True,
                                         initialW=initialW)
            self.bn3 = L.BatchNormalization(out_channels)
            self.projection = stride != 1 or in_channels != out_channels
            if self.projection:
                self.conv4 = L.Convolution2D(in_channels, out_channels, 1, stride=stride,
                                             nobias=True, initialW=initialW)
                self.bn4 = L.BatchNormalization(out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = batch_norm_act(self.bn1, self.conv1(x), self.act)
        h = batch_norm_act(self.bn2, self.conv2(h), self.act)
        shortcut = self.bn4(self.conv4(x)) if self.projection else x
        return batch_norm_act(self.bn3, self.conv3(h), self.act, residual=shortcut)


class BuildingBlock(Chain):
    """A stage: block ``a`` (which may change the shape) followed by blocks
    ``b1``, ``b2``... applied in order, as Chainer's ``BuildingBlock``."""

    def __init__(self, n_blocks: int, in_channels: int, mid_channels: int, out_channels: int,
                 stride: int, stride_in: str, act: Activation, initialW: Initializer) -> None:
        super().__init__()
        with self.init_scope():
            self.a = Bottleneck(in_channels, mid_channels, out_channels, stride, stride_in, act,
                                initialW)
            for i in range(1, n_blocks):
                self.add_link('b{}'.format(i), Bottleneck(out_channels, mid_channels,
                                                          out_channels, 1, stride_in, act,
                                                          initialW))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for block in self.children():
            x = block(x)
        return x


class ResNet(ImageClassifier):
    """A bottleneck ResNet for ImageNet-size images (any input of at least
    32x32 works: global average pooling ends it).

    Args:
        num_blocks (tuple of int): blocks in stages ``res2``-``res5``
            (default ``(3, 4, 6, 3)``, ResNet-50).
        stride_in (str): ``'3x3'`` (default) or ``'1x1'``, see the module
            docstring.
        num_classes (int): outputs (default 1000).
        in_channels (int): input channels (default 3).
        act_fn: the activation (default ``'relu'``).
        bn_eps (float): BatchNorm's epsilon (default 2e-5, Chainer's;
            torchvision's weights need 1e-5).
        conv1_bias (bool): give ``conv1`` a bias, as Chainer's
            ``ResNet50Layers`` and MSRA's Caffe ResNet-50 (default False).
    """

    def __init__(self, num_blocks: Sequence[int] = (3, 4, 6, 3), stride_in: str = '3x3',
                 num_classes: int = 1000, in_channels: int = 3,
                 act_fn: str | Activation = 'relu', conv1_bias: bool = False,
                 bn_eps: float = 2e-5) -> None:
        super().__init__(num_classes, in_channels, act_fn)
        if stride_in not in STEM_POOLING:
            raise ValueError("stride_in must be '3x3' or '1x1', got {!r}.".format(stride_in))
        if len(num_blocks) != 4:
            raise ValueError('num_blocks must give the blocks of 4 stages, got {!r}.'.format(
                num_blocks))
        self.stride_in = stride_in
        self.num_blocks = tuple(num_blocks)
        self.stem_pooling = STEM_POOLING[stride_in]
        initialW = he_normal(act_fn, 'fan_out')
        with self.init_scope():
            self.conv1 = L.Convolution2D(in_channels, 64, 7, stride=2, pad=3,
                                         nobias=not conv1_bias, initialW=initialW)
            self.bn1 = L.BatchNormalization(64)
            channels = 64
            for index, n in enumerate(num_blocks):
                mid = 64 * 2 ** index
                self.add_link('res{}'.format(index + 2), BuildingBlock(
                    n, channels, mid, 4 * mid, 1 if index == 0 else 2, stride_in,
                    self.inplace_act, initialW))
                channels = 4 * mid
            self.fc6 = L.Linear(channels, num_classes)
        self.feature_info = [FeatureInfo('conv1', 64, 2)] + [
            FeatureInfo('res{}'.format(index + 2), 256 * 2 ** index, 4 * 2 ** index)
            for index in range(4)]
        self.head_links = ('fc6',)
        set_batch_norm_eps(self, bn_eps)

    def forward_stages(self, x: torch.Tensor) -> Iterator[torch.Tensor]:
        """Yield the stem's map (after ``bn1`` and the activation, stride 2)
        and those of ``res2``-``res5`` (strides 4-32; the stem pooling opens
        ``res2``)."""
        h = batch_norm_act(self.bn1, self.conv1(x), self.inplace_act)
        yield h
        h = self.stem_pooling(h)
        for index in range(2, 6):
            h = self['res{}'.format(index)](h)
            yield h

    def torchvision_arrays(self, state_dict: Mapping[str, Any]) -> dict[str, Any]:
        """``{npz key: array}`` from torchvision's (or timm's) ResNet
        ``state_dict`` (:func:`~chainvision.models.weights.layouts.resnet_torchvision_arrays`);
        a ``conv1`` bias, which those networks lack, is zero."""
        arrays = layouts.resnet_torchvision_arrays(state_dict, self.num_blocks)
        if self.conv1.b is not None:
            arrays['conv1/b'] = numpy.zeros(64, numpy.float32)
        return arrays

    def caffe_arrays(self, layers: Mapping[str, list[numpy.ndarray]]) -> dict[str, Any]:
        """``{npz key: array}`` from MSRA's Caffe layers
        (:func:`~chainvision.models.weights.layouts.resnet_caffe_arrays`)."""
        return layouts.resnet_caffe_arrays(layers, self.num_blocks)

    def forward_head(self, h: torch.Tensor) -> torch.Tensor:
        """Global average pooling and ``fc6``: logits ``(N, num_classes)``."""
        return self.fc6(global_average_pooling_2d(h))


@register(input_size=(3, 224, 224), reference=REFERENCE)
def resnet50(**hparams: Any) -> ResNet:
    """ResNet-50 for ImageNet (He et al. 2016, Table 1: 3, 4, 6, 3 blocks).

    25,557,032 parameters with 1000 classes.  Hyper-parameters:
    ``stride_in``, ``num_classes``, ``in_channels``, ``act_fn``.
    """
    return ResNet((3, 4, 6, 3), **hparams)


@register(input_size=(3, 224, 224), reference=REFERENCE)
def resnet101(**hparams: Any) -> ResNet:
    """ResNet-101 for ImageNet (He et al. 2016, Table 1: 3, 4, 23, 3 blocks).

    44,549,160 parameters with 1000 classes.  Hyper-parameters as
    :func:`resnet50`.
    """
    return ResNet((3, 4, 23, 3), **hparams)


@register(input_size=(3, 224, 224), reference=REFERENCE)
def resnet152(**hparams: Any) -> ResNet:
    """ResNet-152 for ImageNet (He et al. 2016, Table 1: 3, 8, 36, 3 blocks).

    60,192,808 parameters with 1000 classes.  Hyper-parameters as
    :func:`resnet50`.
    """
    return ResNet((3, 8, 36, 3), **hparams)
