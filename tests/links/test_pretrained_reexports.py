"""The pre-trained extractors live in the zoo (chainvision.models.extractors)
and are reached by Chainer's names: ``L.VGG16Layers``...,
``chainer.links.model.vision.vgg.VGG16Layers``, ``...resnet.prepare``;
importing ``links`` does not import the zoo."""

import subprocess
import sys

import pytest

import chainvision.links as L
from chainvision.models import extractors


@pytest.mark.parametrize('name', ['VGG16Layers', 'ResNet50Layers', 'ResNet101Layers',
                                  'ResNet152Layers', 'GoogLeNet'])
def test_links_reexport_each_extractor(name):
    assert getattr(L, name) is getattr(extractors, name)
    assert name in dir(L)


def test_chainers_module_paths_reach_the_same_objects():
    from chainvision.links.model.vision import ResNetLayers, googlenet, resnet, vgg
    from chainvision.links.model.vision.resnet import ResNet50Layers, prepare
    assert ResNetLayers is extractors.ResNetLayers
    assert ResNet50Layers is extractors.ResNet50Layers
    assert prepare is extractors.resnet.prepare
    assert vgg.VGG16Layers is extractors.VGG16Layers and vgg.prepare is extractors.vgg.prepare
    assert googlenet.GoogLeNet is extractors.GoogLeNet


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="chainvision.links has no attribute 'VGG19Layers'"):
        L.VGG19Layers


def test_importing_links_does_not_import_the_zoo():
    code = ('import sys, chainvision.links, chainvision.links.model.vision.vgg; '
            'print(sorted(m for m in sys.modules if m.startswith("chainvision.models")))')
    result = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == '[]'
