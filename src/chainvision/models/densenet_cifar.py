"""DenseNets for 32x32 images: the UvA tutorial's DenseNet and the paper's
DenseNet-BC (L=100, k=12).  Both are :class:`~chainvision.models.densenet.DenseNet`
with the CIFAR stem (a 3x3 convolution with bias; the other convolutions
have none).

References:

- G. Huang et al., "Densely Connected Convolutional Networks", CVPR 2017
  (arXiv:1608.06993), Sec. 3 and Table 2 (DenseNet-BC, L=100, k=12: 0.8M
  parameters, three blocks of 16 bottleneck layers, stem of 2k channels).
- P. Lippe, UvA Deep Learning Tutorial 5, "Inception, ResNet and DenseNet":
  four blocks of 6 layers, bottleneck 2k, k=16, stem of ``bn_size * k``.

Initialization as in :mod:`chainvision.models.densenet`.
"""

from collections.abc import Sequence
from typing import Any

from chainvision.models._registry import register
from chainvision.models.densenet import DenseNet


@register(input_size=(3, 32, 32),
          reference='Lippe, UvA Deep Learning Tutorial 5 (Inception, ResNet and DenseNet)')
def densenet_cifar(num_layers: Sequence[int] = (6, 6, 6, 6), bn_size: int = 2,
                   growth_rate: int = 16, **hparams: Any) -> DenseNet:
    """The UvA tutorial's DenseNet for 32x32 images (CIFAR-10).

    239,146 parameters with 10 classes.  Hyper-parameters: ``num_layers``,
    ``bn_size``, ``growth_rate``, and ``num_classes`` (default 10),
    ``in_channels``, ``act_fn`` as :class:`~chainvision.models.densenet.DenseNet`.
    """
    hparams.setdefault('num_classes', 10)
    return DenseNet(num_layers, growth_rate, bn_size, compression=0.5, stem='cifar',
                    stem_channels=bn_size * growth_rate, **hparams)


@register(input_size=(3, 32, 32),
          reference='Huang et al. 2017, Densely Connected Convolutional Networks '
                    '(arXiv:1608.06993), DenseNet-BC L=100 k=12')
def densenet_bc(depth: int = 100, growth_rate: int = 12, **hparams: Any) -> DenseNet:
    """DenseNet-BC for CIFAR (Huang et al. 2017): three blocks of
    ``(depth - 4) / 6`` bottleneck layers, compression 0.5.

    769,186 parameters with ``depth=100``, ``growth_rate=12`` and 10 classes
    (paper: 0.8M).  Hyper-parameters: ``depth``, ``growth_rate``, and
    ``num_classes`` (default 10), ``in_channels``, ``act_fn``.
    """
    if (depth - 4) % 6:
        raise ValueError('DenseNet-BC depth must be 6n + 4 (e.g. 100, 190), got {}.'.format(depth))
    hparams.setdefault('num_classes', 10)
    n = (depth - 4) // 6
    return DenseNet((n, n, n), growth_rate, bn_size=4, compression=0.5, stem='cifar',
                    stem_channels=2 * growth_rate, **hparams)
