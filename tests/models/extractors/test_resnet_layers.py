"""L.ResNet50Layers (and the 101/152 name mapping): weights from Chainer's
npz files, MSRA's caffemodels and torchvision's state_dicts load exactly,
and the features are those of the source network."""

import numpy
import pytest
import torch

import chainvision
from chainvision import links as L
from chainvision import serializers
from chainvision.models.extractors.resnet import ResNetLayers
from tests.models.extractors import _helpers
from tests.models.weights._caffe_writer import write_caffemodel


@pytest.fixture(scope='module')
def source():
    return _helpers.randomize(L.ResNet50Layers(pretrained_model=None))


@pytest.fixture(scope='module')
def images():
    # Small images keep ResNet-50 fast; pool5 averages whatever size comes.
    return numpy.sin(0.01 * numpy.arange(2 * 3 * 32 * 32)).reshape(2, 3, 32, 32).astype('f') * 50


def features(model, x, layers=('res3', 'pool5', 'fc6')):
    with chainvision.using_config('train', False), torch.no_grad():
        return {name: value.numpy() for name, value in model(x, layers=list(layers)).items()}


@pytest.fixture(scope='module')
def source_features(source, images):
    return features(source, images)


def assert_same_model(loaded, source, x, source_features):
    expected = _helpers.arrays_of(source)
    got = _helpers.arrays_of(loaded)
    assert got.keys() == expected.keys()
    for name in expected:
        numpy.testing.assert_array_equal(got[name], expected[name], err_msg=name)
    got_features = features(loaded, x)
    for name, value in source_features.items():
        numpy.testing.assert_array_equal(got_features[name], value, err_msg=name)


def test_chainer_npz_loads_exactly(tmp_path, source, images, source_features):
    path = tmp_path / 'ResNet-50-model.npz'
    serializers.save_npz(path, source, compression=False)
    assert_same_model(L.ResNet50Layers(pretrained_model=str(path)), source, images,
                      source_features)


def test_caffemodel_loads_exactly_and_converts_to_chainers_npz(tmp_path, source, images,
                                                               source_features):
    caffemodel = tmp_path / 'ResNet-50-model.caffemodel'
    write_caffemodel(caffemodel, _helpers.resnet50_caffe_layers(source))
    assert_same_model(L.ResNet50Layers(pretrained_model=str(caffemodel)), source, images,
                      source_features)

    converted = tmp_path / 'converted.npz'
    ResNetLayers.convert_caffemodel_to_npz(str(caffemodel), str(converted), n_layers=50)
    with numpy.load(converted) as npz:
        numpy.testing.assert_array_equal(npz['res4/b5/bn3/avg_var'],
                                         _helpers.arrays_of(source)['res4.b5.bn3.avg_var'])
        numpy.testing.assert_array_equal(npz['conv1/b'], source.conv1.b.detach().numpy())


def test_torchvision_state_dict_gives_torchvisions_features(tmp_path, images):
    source = _helpers.randomize(L.ResNet50Layers(pretrained_model=None, downsample_fb=True))
    with torch.no_grad():
        source.conv1.b.zero_()  # torchvision's conv1 has no bias
    state = _helpers.resnet50_torchvision_state_dict(source)
    path = tmp_path / 'resnet50-0676ba61.pth'
    torch.save(state, path)
    model = L.ResNet50Layers(pretrained_model=str(path), downsample_fb=True)
    expected = _helpers.arrays_of(source)
    for name, value in _helpers.arrays_of(model).items():
        numpy.testing.assert_array_equal(value, expected[name], err_msg=name)

    # torchvision's network sees RGB in [0, 1] normalized by its mean and std.
    rgb = torch.from_numpy(images[:, ::-1].copy()) + torch.tensor(
        L.ResNet50Layers.MEAN_BGR[::-1]).view(1, 3, 1, 1)
    normalized = (rgb / 255 - torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)) / \
        torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    with torch.no_grad():
        expected_pool5 = _helpers.torchvision_resnet50_pool5(state, normalized).numpy()
    numpy.testing.assert_allclose(features(model, images)['pool5'], expected_pool5,
                                  rtol=1e-4, atol=1e-5)


def test_torchvision_weights_need_downsample_fb(tmp_path, source):
    path = tmp_path / 'resnet50.pth'
    torch.save(_helpers.resnet50_torchvision_state_dict(source), path)
    with pytest.raises(ValueError, match='downsample_fb=True'):
        L.ResNet50Layers(pretrained_model=str(path))


def test_another_models_state_dict_is_refused_naming_the_keys(tmp_path, source):
    state = _helpers.resnet50_torchvision_state_dict(source)
    state['layer3.6.conv1.weight'] = state['layer3.5.conv1.weight']  # a ResNet-101 key
    del state['fc.bias']
    path = tmp_path / 'resnet101.pth'
    torch.save(state, path)
    with pytest.raises(ValueError, match=r"resnet50: missing fc\.bias; unexpected "
                                         r"layer3\.6\.conv1\.weight"):
        L.ResNet50Layers(pretrained_model=str(path), downsample_fb=True)


@pytest.mark.parametrize('cls, stage3, stage4', [
    (L.ResNet101Layers, ['3a', '3b1', '3b2', '3b3'],
     ['4a'] + ['4b{}'.format(i) for i in range(1, 23)]),
    (L.ResNet152Layers, ['3a'] + ['3b{}'.format(i) for i in range(1, 8)],
     ['4a'] + ['4b{}'.format(i) for i in range(1, 36)]),
])
def test_deeper_resnets_take_msras_numbered_block_names(cls, stage3, stage4):
    # Block names as in Chainer's _transfer_resnet101/152; shapes only, on
    # the meta device (no memory, no arithmetic).
    with torch.device('meta'):
        model = cls(pretrained_model=None)
    arrays = {}

    def add(conv, bn, conv_name, bn_name, scale_name):
        arrays[conv_name] = [conv.W]
        arrays[bn_name] = [bn.avg_mean, bn.avg_var, torch.ones(1)]
        arrays[scale_name] = [bn.gamma, bn.beta]

    add(model.conv1, model.bn1, 'conv1', 'bn_conv1', 'scale_conv1')
    for stage, names in ((2, ['2a', '2b', '2c']), (3, stage3), (4, stage4),
                         (5, ['5a', '5b', '5c'])):
        for i, caffe in enumerate(names):
            block = getattr(getattr(model, 'res{}'.format(stage)), 'a' if i == 0 else
                            'b{}'.format(i))
            for k, branch in [(1, '2a'), (2, '2b'), (3, '2c')] + ([(4, '1')] if i == 0 else []):
                name = '{}_branch{}'.format(caffe, branch)
                add(getattr(block, 'conv{}'.format(k)), getattr(block, 'bn{}'.format(k)),
                    'res' + name, 'bn' + name, 'scale' + name)
    arrays['fc1000'] = [model.fc6.W, model.fc6.b]
    converted = model.caffe_arrays(arrays)
    expected = {name.replace('.', '/'): tuple(t.shape) for name, t in
                list(model.named_parameters()) + list(model.named_buffers())}
    assert {key: tuple(value.shape) for key, value in converted.items()} == expected
