"""The model zoo: classic ConvNets by name, faithful to their papers.

>>> import chainvision.models as models
>>> model = models.create('resnet20')           # He et al. 2016, CIFAR-10
>>> models.info('resnet20').params
269722
>>> models.create('resnt20')                     # UnknownModelError, a KeyError
Traceback (most recent call last):
    ...
chainvision.models._registry.UnknownModelError: Unknown model 'resnt20'. Did you mean: resnet20...?

One file per family: ``lenet.py``, ``resnet_cifar.py`` (He et al.'s CIFAR
ResNets and the UvA tutorial's ``resnet_cifar``), ``resnet.py`` (ImageNet
bottleneck ResNets), ``googlenet.py``, ``googlenet_cifar.py``,
``densenet.py``, ``densenet_cifar.py``, ``vgg.py``, ``speedrun_cifar.py``;
the registry, the base class, the MAC counter and the fast inference form
(:func:`infer`, which ``predict`` runs) in ``_registry.py``, ``_base.py``,
``_flops.py``, ``_inference.py``.
Chainer's pre-trained ``VGG16Layers``, ``ResNet50Layers``... and
``GoogLeNet`` (``L.*``) in ``extractors/``; reading weight files (Caffe,
torchvision, Chainer's npz) and assigning them in ``weights/``.
"""

from chainvision.models._base import FeatureInfo, ImageClassifier, get_activation  # noqa: F401
from chainvision.models._features import FeatureExtractor  # noqa: F401
from chainvision.models._flops import LayerRow, count_macs, layer_table  # noqa: F401
from chainvision.models._inference import (  # noqa: F401
    PRECISIONS, FastInference, forget_inference_form, infer, warn_once_if_emulated)
from chainvision.models._registry import (  # noqa: F401
    ModelInfo, UnknownModelError, create, info, names, register)
from chainvision.models.densenet import DenseNet, densenet121  # noqa: F401
from chainvision.models.densenet_cifar import densenet_bc, densenet_cifar  # noqa: F401
from chainvision.models.googlenet import GoogLeNet, googlenet  # noqa: F401
from chainvision.models.googlenet_cifar import GoogLeNetCIFAR, googlenet_cifar  # noqa: F401
from chainvision.models.lenet import LeNet5, lenet5  # noqa: F401
from chainvision.models.resnet import ResNet, resnet50, resnet101, resnet152  # noqa: F401
from chainvision.models.resnet_cifar import (  # noqa: F401
    ResNetCIFAR, preact_resnet_cifar, resnet20, resnet32, resnet44, resnet56, resnet110,
    resnet1202, resnet_cifar)
from chainvision.models.speedrun_cifar import SpeedrunCIFAR, speedrun_cifar  # noqa: F401
from chainvision.models.vgg import VGG, vgg16, vgg16_bn, vgg16_cifar  # noqa: F401
