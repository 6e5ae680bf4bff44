"""Chainer's pre-trained ImageNet feature extractors: ``VGG16Layers``,
``ResNet50Layers``, ``ResNet101Layers``, ``ResNet152Layers``,
``GoogLeNet`` (built on the zoo's networks in :mod:`chainvision.models`)."""

from chainvision.links.model.vision.googlenet import GoogLeNet  # noqa: F401
from chainvision.links.model.vision.resnet import (  # noqa: F401
    ResNet50Layers, ResNet101Layers, ResNet152Layers, ResNetLayers)
from chainvision.links.model.vision.vgg import VGG16Layers  # noqa: F401
