"""Chainer's pre-trained ImageNet feature extractors (Chainer's
``chainer.links.model.vision``): ``VGG16Layers`` (``vgg.py``),
``ResNet50Layers``, ``ResNet101Layers``, ``ResNet152Layers`` (``resnet.py``)
and ``GoogLeNet`` (``googlenet.py``), each a zoo network of this package
with Chainer's ``forward(x, layers)`` / ``extract`` / ``predict`` API
(``_pretrained.py``) and weights read by :mod:`chainvision.models.weights`.

``chainvision.links`` (``L.VGG16Layers``...) and
``chainvision.links.model.vision`` re-export them on first use.
"""

from chainvision.models.extractors.googlenet import GoogLeNet  # noqa: F401
from chainvision.models.extractors.resnet import (  # noqa: F401
    ResNet50Layers, ResNet101Layers, ResNet152Layers, ResNetLayers)
from chainvision.models.extractors.vgg import VGG16Layers  # noqa: F401
