"""Our pre-trained models hold exactly the arrays of Chainer 7.8.1's, under
the same npz keys with the same shapes, so npz files move both ways.

``data/chainer_7.8.1_npz_keys.json`` was written by Chainer 7.8.1: for each
of ``L.VGG16Layers``, ``L.ResNet50Layers``, ``L.ResNet101Layers``,
``L.ResNet152Layers`` and ``L.GoogLeNet`` built with
``pretrained_model=None``, every key of its ``DictionarySerializer`` output
(what ``save_npz`` writes) with the array's shape and dtype.
"""

import json
import pathlib

import numpy
import pytest
import torch

from chainvision import links as L
from chainvision.serializers import DictionarySerializer

CHAINER_KEYS = json.loads(
    (pathlib.Path(__file__).parent / 'data' / 'chainer_7.8.1_npz_keys.json').read_text())


class ShapeRecorder(DictionarySerializer):
    """Records each key's shape and dtype instead of the values (which do
    not exist on the meta device)."""

    def __getitem__(self, key):
        return ShapeRecorder(self.target, self.path + key.strip('/') + '/')

    def __call__(self, key, value):
        if isinstance(value, torch.Tensor):
            entry = [list(value.shape), str(value.dtype).replace('torch.', '')]
        else:
            entry = [list(numpy.shape(value)), str(numpy.asarray(value).dtype)]
        self.target[self.path + key.lstrip('/')] = entry
        return value


@pytest.mark.parametrize('name', sorted(CHAINER_KEYS))
def test_npz_keys_shapes_and_dtypes_are_chainers(name):
    with torch.device('meta'):
        model = getattr(L, name)(pretrained_model=None)
    recorder = ShapeRecorder()
    recorder.save(model)
    assert recorder.target == CHAINER_KEYS[name]
