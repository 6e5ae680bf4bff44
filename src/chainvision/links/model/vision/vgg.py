"""Chainer's ``chainer.links.model.vision.vgg``: ``VGG16Layers`` and ``prepare``,
defined in :mod:`chainvision.models.extractors.vgg` and imported from there
on first use (``links`` never imports the zoo)."""

from chainvision.utils.lazy import lazy_attributes

__getattr__, __dir__ = lazy_attributes(__name__, dict.fromkeys(
    ('VGG16Layers', 'prepare'), 'chainvision.models.extractors.vgg'))
