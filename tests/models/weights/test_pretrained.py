"""``models.create(name, pretrained=...)``: real weight files in each
format (torchvision/timm state dicts with ``torch.save`` and safetensors,
Caffe caffemodels, Chainer's npz), loaded into the zoo networks, give the
source network's outputs; tags, ``'auto'``, another ``num_classes``, wrong
and truncated files."""

import importlib.util
import os
import re

import numpy
import pytest
import torch

from chainvision import models
from chainvision.models.weights import tags
from tests.models.extractors import _helpers
from tests.models.weights._caffe_writer import write_caffemodel

HAVE_TORCHVISION = importlib.util.find_spec('torchvision') is not None
HAVE_TIMM = importlib.util.find_spec('timm') is not None


def _logits(model, x):
    with torch.no_grad():
        return model.eval()(x)


@pytest.fixture(scope='module')
def resnet50_source():
    torch.manual_seed(0)
    return _helpers.randomize(models.create('resnet50', conv1_bias=True, stride_in='1x1'))


def test_torchvision_resnet50_state_dict_gives_torchvisions_network(resnet50_source, tmp_path):
    # The state dict is written by the helper from torchvision's published
    # names and computed by its plain-functional torchvision ResNet-50.
    state = _helpers.resnet50_torchvision_state_dict(resnet50_source)
    path = tmp_path / 'resnet50-0676ba61.pth'
    torch.save(state, path)
    model = models.create('resnet50', pretrained=path)
    assert model.pretrained_config.tag == 'resnet50.tv_in1k'
    assert model.stride_in == '3x3' and model.res2.a.bn1.eps == 1e-5
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        features = model.eval().forward_features(x).mean(dim=(2, 3))
        expected = _helpers.torchvision_resnet50_pool5(state, x)
    torch.testing.assert_close(features, expected, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(model.fc6.W, state['fc.weight'], rtol=0, atol=0)


def test_safetensors_state_dict_loads_as_the_pth(resnet50_source, tmp_path):
    from safetensors.torch import save_file
    state = _helpers.resnet50_torchvision_state_dict(resnet50_source)
    torch.save(state, tmp_path / 'weights.pth')
    save_file({k: v.contiguous() for k, v in state.items()}, str(tmp_path / 'w.safetensors'))
    x = torch.randn(1, 3, 64, 64)
    torch.testing.assert_close(
        _logits(models.create('resnet50', pretrained=tmp_path / 'w.safetensors'), x),
        _logits(models.create('resnet50', pretrained=tmp_path / 'weights.pth'), x),
        rtol=0, atol=0)


def test_caffemodel_gives_chainers_resnet50_on_rgb_input(resnet50_source, tmp_path):
    # The extractor (checked against Chainer 7.8.1) takes Caffe's BGR input;
    # the zoo network takes RGB normalised by the tag's mean and std.
    path = tmp_path / 'ResNet-50-model.caffemodel'
    write_caffemodel(path, _helpers.resnet50_caffe_layers(resnet50_source))
    import chainvision.links as L
    extractor = L.ResNet50Layers(pretrained_model=str(path))
    model = models.create('resnet50', pretrained=path)
    config = model.pretrained_config
    assert config.tag == 'resnet50.caffe_in1k' and model.stride_in == '1x1'
    rgb = torch.randint(0, 256, (2, 3, 64, 64)).float()
    bgr_minus_mean = rgb.flip(1) - torch.tensor((103.063, 115.903, 123.152)).view(1, 3, 1, 1)
    normalised = (rgb / 255 - torch.tensor(config.mean).view(1, 3, 1, 1)) / torch.tensor(
        config.std).view(1, 3, 1, 1)
    with torch.no_grad():
        expected = extractor.eval()(bgr_minus_mean, layers=['fc6'])['fc6']
    torch.testing.assert_close(_logits(model, normalised), expected, rtol=1e-5, atol=1e-4)


def test_chainer_npz_and_caffemodel_of_googlenet_agree(tmp_path):
    import chainvision.links as L
    from chainvision.serializers import save_npz
    torch.manual_seed(0)
    source = _helpers.randomize(L.GoogLeNet(pretrained_model=None))
    write_caffemodel(tmp_path / 'bvlc_googlenet.caffemodel', _helpers.googlenet_caffe_layers(source))
    save_npz(tmp_path / 'bvlc_googlenet.npz', source)    # Chainer's layout, aux classifiers too
    from_caffe = models.create('googlenet', pretrained=tmp_path / 'bvlc_googlenet.caffemodel')
    from_npz = models.create('googlenet', pretrained=tmp_path / 'bvlc_googlenet.npz')
    assert not hasattr(from_npz, 'loss1_fc2')
    # RGB weights: the first convolution flipped from Caffe's BGR.
    torch.testing.assert_close(from_npz.conv1.W, source.conv1.W.flip(1), rtol=0, atol=0)
    x = torch.randn(1, 3, 224, 224)   # the extractor's pool5 is 7x7
    torch.testing.assert_close(_logits(from_caffe, x), _logits(from_npz, x), rtol=0, atol=0)
    with torch.no_grad():
        expected = source.eval()(x.flip(1), layers=['loss3_fc'])['loss3_fc']
    torch.testing.assert_close(_logits(from_npz, x), expected, rtol=1e-5, atol=1e-5)


def test_another_num_classes_reinitialises_the_classifier_with_one_warning(resnet50_source,
                                                                          tmp_path):
    state = _helpers.resnet50_torchvision_state_dict(resnet50_source)
    torch.save(state, tmp_path / 'resnet50-0676ba61.pth')
    with pytest.warns(UserWarning, match=r'1000 classes, the model 10: fc6/W, fc6/b') as record:
        model = models.create('resnet50', pretrained=tmp_path / 'resnet50-0676ba61.pth',
                              num_classes=10)
    assert len(record) == 1
    assert model.fc6.W.shape == (10, 2048)
    torch.testing.assert_close(model.res5.a.conv1.W, state['layer4.0.conv1.weight'],
                               rtol=0, atol=0)


def test_tag_and_auto_find_the_file_in_the_model_root(resnet50_source, tmp_path, monkeypatch):
    monkeypatch.setenv('CHAINVISION_MODEL_ROOT', str(tmp_path))
    state = _helpers.resnet50_torchvision_state_dict(resnet50_source)
    torch.save(state, tmp_path / 'resnet50-0676ba61.pth')
    by_tag = models.create('resnet50', pretrained='resnet50.tv_in1k')
    by_auto = models.create('resnet50', pretrained='auto')
    x = torch.randn(1, 3, 64, 64)
    torch.testing.assert_close(_logits(by_tag, x), _logits(by_auto, x), rtol=0, atol=0)


def test_missing_file_error_names_file_address_checksum_and_folder(tmp_path, monkeypatch):
    monkeypatch.setenv('CHAINVISION_MODEL_ROOT', str(tmp_path))
    from chainvision.models.weights import pretrained
    monkeypatch.setattr(pretrained, '_reachable', lambda url, timeout=3.0: False)
    with pytest.raises(FileNotFoundError) as error:
        models.create('resnet50', pretrained='resnet50.tv_in1k')
    message = str(error.value)
    for part in ('resnet50-0676ba61.pth', 'https://download.pytorch.org/models/'
                 'resnet50-0676ba61.pth', 'sha256:0676ba61', str(tmp_path)):
        assert part in message
    with pytest.raises(FileNotFoundError, match='no direct download'):
        models.create('resnet101', pretrained='resnet101.caffe_in1k')


def test_wrong_and_truncated_files_name_themselves(resnet50_source, tmp_path):
    torch.save({'conv1.weight': torch.zeros(3)}, tmp_path / 'other.pth')
    with pytest.raises(ValueError, match="torchvision's resnet50: missing"):
        models.create('resnet50', pretrained=tmp_path / 'other.pth')
    state = _helpers.resnet50_torchvision_state_dict(resnet50_source)
    torch.save(state, tmp_path / 'full.pth')
    data = (tmp_path / 'full.pth').read_bytes()
    (tmp_path / 'cut.pth').write_bytes(data[:len(data) // 2])
    with pytest.raises(Exception, match=re.escape(str(tmp_path / 'cut.pth'))):
        models.create('resnet50', pretrained=tmp_path / 'cut.pth')
    (tmp_path / 'cut.safetensors').write_bytes(b'\x10\x00\x00\x00\x00\x00\x00\x00{"a"')
    with pytest.raises(ValueError, match='cut.safetensors is not a readable safetensors'):
        models.create('resnet50', pretrained=tmp_path / 'cut.safetensors')
    with pytest.raises(ValueError, match='weights for resnet101, not resnet50'):
        models.create('resnet50', pretrained='resnet101.tv_in1k')
    with pytest.raises(ValueError, match='googlenet has no published torchvision weights'):
        models.create('googlenet', pretrained=tmp_path / 'full.pth')


def test_every_tag_has_its_model_and_published_figures():
    for tag in tags.pretrained_tags():
        config = tags.pretrained_config(tag)
        assert config.model in models.names(), tag
        assert config.top1 is not None and config.top5 is not None, tag
        if config.layout == 'torchvision':
            # torchvision's file names carry the first 8 hex digits of the SHA-256.
            assert config.checksum == 'sha256:' + config.file_name.split('-')[-1][:8], tag
    assert tags.pretrained_config('resnet50').top1 == 76.13
    assert tags.pretrained_config('resnet50.caffe_in1k').top1 == 75.3
    with pytest.raises(KeyError, match='resnet50.tv_in1k'):
        tags.pretrained_config('resnet50.nope')


def test_imagenet_class_names_ship_with_the_package():
    names = tags.imagenet_class_names()
    assert len(names) == len(set(names)) == 1000
    assert (names[0], names[281], names[999]) == ('tench', 'tabby', 'toilet tissue')


def test_features_only_of_pretrained_weights(resnet50_source, tmp_path):
    state = _helpers.resnet50_torchvision_state_dict(resnet50_source)
    torch.save(state, tmp_path / 'w.pth')
    body = models.create('resnet50', pretrained=tmp_path / 'w.pth', features_only=True)
    full = models.create('resnet50', pretrained=tmp_path / 'w.pth')
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        torch.testing.assert_close(body.eval()(x)[-1], full.eval().forward_features(x),
                                   rtol=0, atol=0)


# -- torchvision's and timm's own networks (run by hand where installed) -----

TORCHVISION_MODELS = ['resnet50', 'resnet101', 'vgg16', 'vgg16_bn', 'densenet121']


def _random_state(network, seed=0):
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, tensor in network.state_dict().items():
            if tensor.is_floating_point():
                values = torch.rand(tensor.shape, generator=generator)
                tensor.copy_(0.5 + values if name.endswith(('running_var', 'weight')) and
                             tensor.dim() == 1 else (values - 0.5) * 0.1)
    return network.eval()


def _assert_gives_the_logits_of(network, model):
    x = torch.randn(2, 3, 224, 224)
    with torch.no_grad():
        expected = network(x)
    got = _logits(model, x)
    assert float((got - expected).abs().max() / expected.abs().max()) < 1e-5


@pytest.mark.skipif(not HAVE_TORCHVISION, reason='torchvision is not installed (CI); run by hand')
@pytest.mark.parametrize('name', TORCHVISION_MODELS)
def test_torchvisions_own_networks_give_their_logits(name, tmp_path):
    import torchvision
    network = _random_state(torchvision.models.get_model(name))
    path = tmp_path / (name + '.pth')
    torch.save(network.state_dict(), path)
    _assert_gives_the_logits_of(network, models.create(name, pretrained=path))


@pytest.mark.skipif(not HAVE_TORCHVISION, reason='torchvision is not installed (CI); run by hand')
def test_torchvisions_published_densenet_key_names_load(tmp_path):
    # densenet121-a639ec97.pth predates torchvision's renaming: 'norm.1'.
    import torchvision
    network = _random_state(torchvision.models.densenet121())
    old = {re.sub(r'(denselayer\d+\.(?:norm|conv))(\d)', r'\1.\2', key): value
           for key, value in network.state_dict().items()}
    assert 'features.denseblock1.denselayer1.norm.1.weight' in old
    torch.save(old, tmp_path / 'densenet121-a639ec97.pth')
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        expected = network(x)
    got = _logits(models.create('densenet121', pretrained=tmp_path / 'densenet121-a639ec97.pth'), x)
    torch.testing.assert_close(got, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.skipif(not HAVE_TIMM, reason='timm is not installed (CI); run by hand')
@pytest.mark.parametrize('name', ['resnet50', 'vgg16', 'vgg16_bn', 'densenet121'])
def test_timms_own_networks_give_their_logits_from_safetensors(name, tmp_path):
    import timm
    from safetensors.torch import save_file
    network = _random_state(timm.create_model(name, pretrained=False))
    path = tmp_path / (name + '.safetensors')
    save_file({k: v.contiguous() for k, v in network.state_dict().items()}, str(path))
    _assert_gives_the_logits_of(network, models.create(name, pretrained=path))
