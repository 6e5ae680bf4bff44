"""LeNet-5 (LeCun et al. 1998) as the Chainer tutorial writes it.

Reference: Y. LeCun, L. Bottou, Y. Bengio, P. Haffner, "Gradient-based
learning applied to document recognition", Proc. IEEE 1998; Chainer's
"Write a Sequential/Convolutional Network" tutorial (the 28x28 MNIST variant:
the last convolution has a 4x4 kernel so that it sees the whole 4x4 map).

Initialization: Chainer's defaults, LeCun-normal weights and zero biases.
"""

from collections.abc import Iterator
from typing import Any

import torch

from chainvision import functions as F
from chainvision import links as L
from chainvision.models._base import Activation, FeatureInfo, ImageClassifier
from chainvision.models._registry import register


class LeNet5(ImageClassifier):
    """LeNet-5: three convolutions with max-pooling, two fully connected
    layers, sigmoid activations.

    ====== =========================== ===================
    layer  operation                   output (28x28 input)
    ====== =========================== ===================
    conv1  conv 5x5, 6 channels, act   6 x 24 x 24
    (pool) max-pool 2x2                6 x 12 x 12
    conv2  conv 5x5, 16 channels, act  16 x 8 x 8
    (pool) max-pool 2x2                16 x 4 x 4
    conv3  conv 4x4, 120 channels, act 120 x 1 x 1
    fc4    fully connected 84, act     84
    fc5    fully connected             num_classes
    ====== =========================== ===================

    Args:
        num_classes (int): outputs (default 10).
        in_channels (int): input channels (default 1).
        act_fn: the activation (default ``'sigmoid'``, as in the tutorial).
    """

    def __init__(self, num_classes: int = 10, in_channels: int = 1,
                 act_fn: str | Activation = 'sigmoid') -> None:
        super().__init__(num_classes, in_channels, act_fn)
        with self.init_scope():
            self.conv1 = L.Convolution2D(in_channels, 6, ksize=5)
            self.conv2 = L.Convolution2D(6, 16, ksize=5)
            self.conv3 = L.Convolution2D(16, 120, ksize=4)
            self.fc4 = L.Linear(120, 84)
            self.fc5 = L.Linear(84, num_classes)
        self.feature_info = [FeatureInfo('conv1', 6, 2), FeatureInfo('conv2', 16, 4)]
        # conv3 sees the whole 4x4 map: it is the first fully connected layer.
        self.head_links = ('conv3', 'fc4', 'fc5')

    def forward_stages(self, x: torch.Tensor) -> Iterator[torch.Tensor]:
        """Yield the pooled maps of ``conv1`` and ``conv2`` (strides 2 and 4)."""
        h = F.max_pooling_2d(self.inplace_act(self.conv1(x)), ksize=2, stride=2)
        yield h
        yield F.max_pooling_2d(self.inplace_act(self.conv2(h)), ksize=2, stride=2)

    def forward_head(self, h: torch.Tensor) -> torch.Tensor:
        """``conv3``, ``fc4``, ``fc5``: logits ``(N, num_classes)`` from the
        ``(N, 16, 4, 4)`` map."""
        h = self.inplace_act(self.conv3(h))
        h = self.inplace_act(self.fc4(h))
        return self.fc5(h)


@register(input_size=(1, 28, 28),
          reference='LeCun et al. 1998, Gradient-based learning applied to document '
                    'recognition; Chainer tutorial')
def lenet5(**hparams: Any) -> LeNet5:
    """LeNet-5 for 1x28x28 images (MNIST), as in Chainer's tutorial.

    44,426 parameters with 10 classes.  Hyper-parameters: those of
    :class:`LeNet5`.
    """
    return LeNet5(**hparams)
