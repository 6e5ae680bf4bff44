"""Chainer's ``chainer.links.model.vision``: the pre-trained ImageNet
feature extractors ``VGG16Layers``, ``ResNet50Layers``, ``ResNet101Layers``,
``ResNet152Layers``, ``ResNetLayers`` and ``GoogLeNet``, and the modules
``vgg``, ``resnet`` and ``googlenet`` with their ``prepare``.

They are zoo networks, defined in :mod:`chainvision.models.extractors`
(which imports ``links``); the names here are imported from there on first
use, so that ``links`` never imports the zoo.
"""

from chainvision.utils.lazy import lazy_attributes

__getattr__, __dir__ = lazy_attributes(__name__, dict.fromkeys(
    ('GoogLeNet', 'ResNet50Layers', 'ResNet101Layers', 'ResNet152Layers', 'ResNetLayers',
     'VGG16Layers'), 'chainvision.models.extractors'))
