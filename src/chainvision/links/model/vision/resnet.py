"""Chainer's ``chainer.links.model.vision.resnet``: ``ResNetLayers``,
``ResNet50Layers``, ``ResNet101Layers``, ``ResNet152Layers`` and
``prepare``, defined in :mod:`chainvision.models.extractors.resnet` and
imported from there on first use (``links`` never imports the zoo)."""

from chainvision.utils.lazy import lazy_attributes

__getattr__, __dir__ = lazy_attributes(__name__, dict.fromkeys(
    ('ResNetLayers', 'ResNet50Layers', 'ResNet101Layers', 'ResNet152Layers', 'prepare'),
    'chainvision.models.extractors.resnet'))
