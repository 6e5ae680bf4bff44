"""Chainer's ``chainer.links.model.vision.googlenet``: ``GoogLeNet`` and ``prepare``,
defined in :mod:`chainvision.models.extractors.googlenet` and imported from there
on first use (``links`` never imports the zoo)."""

from chainvision.utils.lazy import lazy_attributes

__getattr__, __dir__ = lazy_attributes(__name__, dict.fromkeys(
    ('GoogLeNet', 'prepare'), 'chainvision.models.extractors.googlenet'))
