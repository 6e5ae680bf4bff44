"""The backbone interface of every zoo model: ``forward_stages``,
``forward_features``, ``forward_head`` and ``create(name, features_only=True)``."""

import pytest
import torch

from chainvision import models


def _input(name, batch=2, device='cpu'):
    return torch.randn(batch, *models.info(name).input_size, device=device)


@pytest.mark.parametrize('name', models.names())
def test_features_only_maps_have_the_channels_and_strides_of_info(name):
    # On the meta device: shapes without arithmetic, so VGG-16 and
    # ResNet-1202 cost nothing.
    with torch.device('meta'):
        body = models.create(name, features_only=True)
        maps = body(_input(name, device='meta'))
    info = body.info()
    size = models.info(name).input_size[1]
    assert len(maps) == len(info) >= 2
    for feature_map, stage in zip(maps, info):
        n, channels, height, width = feature_map.shape
        assert (n, channels) == (2, stage.channels), stage
        assert height == width, stage
        if size == 224:
            # The ImageNet networks pad every convolution: exact powers of 2.
            assert height * stage.stride == size, stage
        else:
            # Unpadded convolutions (LeNet-5, the speedrun's whitening) take
            # pixels off: the stride is nominal, as timm's reduction is.
            assert size / stage.stride / 2 < height <= size / stage.stride, stage
    strides = [stage.stride for stage in info]
    assert strides == sorted(strides) and len(set(strides)) == len(strides)


@pytest.mark.parametrize('name', models.names())
def test_features_only_drops_exactly_the_head_links(name):
    with torch.device('meta'):
        full = models.create(name)
        body = models.create(name, features_only=True)
    head = sum(p.numel() for link in full.head_links for p in full[link].parameters())
    assert head > 0
    assert sum(p.numel() for p in body.parameters()) == models.info(name).params - head
    assert not any(hasattr(body.model, link) for link in full.head_links)


@pytest.mark.parametrize('name', ['lenet5', 'resnet20', 'preact_resnet_cifar', 'densenet_cifar',
                                  'googlenet_cifar', 'vgg16_cifar'])
def test_forward_is_the_head_of_the_last_feature_map(name):
    torch.manual_seed(0)
    model = models.create(name).eval()
    x = _input(name)
    with torch.no_grad():
        features = model.forward_features(x)
        maps = list(model.forward_stages(x))
        torch.testing.assert_close(features, maps[-1], rtol=0, atol=0)
        torch.testing.assert_close(model.forward_head(features), model(x), rtol=0, atol=0)


def test_features_only_body_computes_the_networks_maps():
    torch.manual_seed(0)
    model = models.create('resnet20').eval()
    body = models.create('resnet20', features_only=True).eval()
    body.model.load_state_dict(model.state_dict(), strict=False)
    x = _input('resnet20')
    with torch.no_grad():
        for got, expected in zip(body(x), model.forward_stages(x)):
            torch.testing.assert_close(got, expected, rtol=0, atol=0)


def test_resnet50_feature_pyramid_is_timms():
    # timm's resnet50 feature_info: act1, layer1-4.
    with torch.device('meta'):
        body = models.create('resnet50', features_only=True)
    assert [(f.name, f.channels, f.stride) for f in body.info()] == [
        ('conv1', 64, 2), ('res2', 256, 4), ('res3', 512, 8), ('res4', 1024, 16),
        ('res5', 2048, 32)]


def test_googlenet_with_aux_classifiers_still_returns_them_in_training():
    torch.manual_seed(0)
    model = models.create('googlenet', aux_classifiers=True, num_classes=7)
    logits, aux1, aux2 = model(torch.randn(2, 3, 224, 224))
    assert logits.shape == aux1.shape == aux2.shape == (2, 7)
    model.eval()
    assert model(torch.randn(1, 3, 224, 224)).shape == (1, 7)
