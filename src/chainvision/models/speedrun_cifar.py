"""The CIFAR-10 speedrun network of airbench94 (Keller Jordan), descended from
hlb-CIFAR10 (tysam-code) and David Page's "How to train your ResNet".

References: K. Jordan, "94% on CIFAR-10 in 3.29 Seconds on a Single GPU"
(arXiv:2404.00498) and github.com/KellerJordan/cifar10-airbench
(``airbench94_muon.py``: 94.01 % mean test accuracy over 200 runs, 2.59 s on an
A100); github.com/tysam-code/hlb-CIFAR10.

A frozen 2x2 convolution whose filters whiten the input's 2x2 patches, then
three blocks of (3x3 conv, 2x2 max-pool, BatchNorm, GELU, 3x3 conv,
BatchNorm, GELU) of widths 64, 256, 256, a 3x3 max-pool and a linear layer
without bias whose output is scaled down.  The whitening filters are set from
the training images by the recipe (``chainvision.app.speedrun``), not here:
the zoo never sees data.
"""

import math
from collections.abc import Iterator, Sequence
from typing import Any

import torch

from chainvision import functions as F
from chainvision import initializers
from chainvision import links as L
from chainvision.link import Chain
from chainvision.models._base import FeatureInfo, ImageClassifier
from chainvision.models._registry import register

REFERENCE = ('Jordan 2024, 94% on CIFAR-10 in 3.29 Seconds on a Single GPU (arXiv:2404.00498), '
             'airbench94_muon')


class PartialDirac(initializers.Initializer):
    """Convolution filters ``(out, in, kh, kw)`` drawn from PyTorch's default
    U(-1/sqrt(fan_in), 1/sqrt(fan_in)), then the first ``min(out, in)``
    filters set to the identity (a 1 at the centre tap of their own input
    channel), so that at initialisation each block passes its input through
    (airbench94's ``Conv.reset_parameters``)."""

    def __call__(self, array: torch.Tensor) -> torch.Tensor:
        fan_in, _ = initializers.get_fans(array.shape)
        initializers.Uniform(1. / math.sqrt(fan_in))(array)
        with torch.no_grad():
            torch.nn.init.dirac_(array[:array.shape[1]])
        return array


def batch_norm(channels: int) -> L.BatchNormalization:
    """BatchNorm without a learnt scale (gamma fixed at 1; beta learnt).

    Low momentum trick (airbench94): running statistics decay 0.6 (PyTorch
    momentum 0.4) instead of 0.9, so that after a run of a few hundred
    steps the statistics follow the last few batches of the final weights.
    eps is tiny (airbench's 1e-12) because the whitened inputs never have a
    vanishing variance."""
    return L.BatchNormalization(channels, decay=0.6, eps=1e-12, use_gamma=False)


class ConvGroup(Chain):
    """``gelu(bn2(conv2(gelu(bn1(max_pool(conv1(x)))))))``: input ``(N,
    in_channels, H, W)``, output ``(N, out_channels, H // 2, W // 2)``.

    Pooling before the first BatchNorm normalises 4x fewer values; both
    convolutions are 3x3 with 'same' padding and no bias (BatchNorm's beta
    follows)."""

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        with self.init_scope():
            self.conv1 = L.Convolution2D(in_channels, out_channels, 3, pad=1, nobias=True,
                                         initialW=PartialDirac())
            self.norm1 = batch_norm(out_channels)
            self.conv2 = L.Convolution2D(out_channels, out_channels, 3, pad=1, nobias=True,
                                         initialW=PartialDirac())
            self.norm2 = batch_norm(out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = F.max_pooling_2d(self.conv1(x), 2, cover_all=False)
        h = F.gelu(self.norm1(h))
        return F.gelu(self.norm2(self.conv2(h)))


class SpeedrunCIFAR(ImageClassifier):
    """airbench94's network.

    ======== ================================== ==========================
    link     operation                          output (3x32x32 input)
    ======== ================================== ==========================
    whiten   2x2 conv, frozen, + bias, GELU     24 x 31 x 31
    block1   :class:`ConvGroup`                 64 x 15 x 15
    block2   :class:`ConvGroup`                 256 x 7 x 7
    block3   :class:`ConvGroup`                 256 x 3 x 3
    (pool)   3x3 max-pool                       256
    head     linear, no bias, times 1 / 256     num_classes
    ======== ================================== ==========================

    ``whiten.W`` (``(2 * in_channels * 4, in_channels, 2, 2)``) has
    ``requires_grad=False``: it holds the eigenvectors of the training
    images' 2x2 patch covariance, scaled to unit variance, and their
    negations (so the GELU after it keeps both signs); until the recipe sets
    it from data it holds Chainer's default LeCun-normal values.

    Args:
        num_classes (int): outputs (default 10).
        in_channels (int): input channels (default 3).
        widths (tuple of 3 ints): channels of the three blocks (default
            ``(64, 256, 256)``).
    """

    def __init__(self, num_classes: int = 10, in_channels: int = 3,
                 widths: Sequence[int] = (64, 256, 256)) -> None:
        super().__init__(num_classes, in_channels, 'gelu')
        if len(widths) != 3:
            raise ValueError('widths must give the 3 blocks\' channels, got {!r}.'.format(widths))
        patch_size = 2
        whiten_width = 2 * in_channels * patch_size ** 2
        with self.init_scope():
            self.whiten = L.Convolution2D(in_channels, whiten_width, patch_size)
            self.block1 = ConvGroup(whiten_width, widths[0])
            self.block2 = ConvGroup(widths[0], widths[1])
            self.block3 = ConvGroup(widths[1], widths[2])
            # Unit-std head weights with logits divided by the width
            # (airbench94_muon's ``reset`` and ``forward``): small initial
            # logits whose scale does not depend on the width.
            self.head = L.Linear(widths[2], num_classes, nobias=True,
                                 initialW=initializers.Normal(1.))
        self.whiten.W.requires_grad_(False)
        self.logit_scale = 1. / widths[2]
        self.feature_info = [FeatureInfo('block{}'.format(index + 1), width, 2 ** (index + 1))
                             for index, width in enumerate(widths)]
        self.head_links = ('head',)

    def forward_stages(self, x: torch.Tensor) -> Iterator[torch.Tensor]:
        """Yield the maps of ``block1``-``block3`` (15, 7 and 3 pixels at
        32x32: the unpadded 2x2 whitening takes one pixel off)."""
        h = F.gelu(self.whiten(x))
        for block in (self.block1, self.block2, self.block3):
            h = block(h)
            yield h

    def forward_head(self, h: torch.Tensor) -> torch.Tensor:
        """3x3 max-pooling and the scaled ``head``: logits ``(N, num_classes)``."""
        h = F.max_pooling_2d(h, 3, cover_all=False)
        return self.head(h) * self.logit_scale


@register(input_size=(3, 32, 32), reference=REFERENCE)
def speedrun_cifar(**hparams: Any) -> SpeedrunCIFAR:
    """airbench94's CIFAR-10 speedrun network (whitening conv, widths 64/256/256, GELU).

    1,971,640 parameters with 10 classes (288 of them the frozen whitening
    filters).  Hyper-parameters: those of :class:`SpeedrunCIFAR`.
    """
    return SpeedrunCIFAR(**hparams)
