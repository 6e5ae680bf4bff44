"""Chainer's preprocessing, 10-crop oversampling, ``extract``,
``predict``, ``forward``'s layer selection and ``pretrained_model='auto'``."""

import collections

import numpy
import pytest
import torch
from PIL import Image

import chainvision
from chainvision import functions as F
from chainvision import links as L
from chainvision import serializers
from chainvision.link import Chain
from chainvision.models.extractors import _pretrained, googlenet, resnet, vgg
from tests.models.extractors import _helpers
from tests.models.weights._caffe_writer import write_caffemodel

RGB = numpy.array([[[10, 20, 30], [200, 100, 0]],
                   [[255, 255, 255], [0, 0, 0]]], dtype=numpy.uint8)  # (H, W, RGB)


@pytest.mark.parametrize('module, mean_bgr', [(vgg, (103.939, 116.779, 123.68)),
                                              (resnet, (103.063, 115.903, 123.152)),
                                              (googlenet, (104.0, 117.0, 123.0))])
def test_prepare_swaps_to_bgr_and_subtracts_caffes_mean(module, mean_bgr):
    out = module.prepare(RGB, size=None)
    assert out.shape == (3, 2, 2) and out.dtype == numpy.float32
    b, g, r = mean_bgr
    numpy.testing.assert_allclose(out[:, 0, 1], [0 - b, 100 - g, 200 - r], rtol=1e-6)
    numpy.testing.assert_allclose(out[:, 1, 0], [255 - b, 255 - g, 255 - r], rtol=1e-6)
    # A (3, H, W) array and a PIL image are the same image.
    numpy.testing.assert_array_equal(module.prepare(RGB.transpose(2, 0, 1), size=None), out)
    numpy.testing.assert_array_equal(module.prepare(Image.fromarray(RGB), size=None), out)


def test_prepare_resizes_to_width_height_and_takes_grayscale():
    out = vgg.prepare(numpy.full((4, 6), 50, dtype=numpy.uint8), size=(5, 3))
    assert out.shape == (3, 3, 5)  # size is (width, height), as PIL's
    numpy.testing.assert_allclose(out[:, 1, 2], 50 - numpy.array(vgg.MEAN_BGR), rtol=1e-6)


def test_oversample_crops_are_corners_center_then_mirrors():
    images = numpy.arange(2 * 1 * 4 * 5, dtype='f').reshape(2, 1, 4, 5)
    crops = _pretrained.oversample_crops(images, (2, 3))
    assert crops.shape == (20, 1, 2, 3)
    image = images[1, 0]
    expected = [image[0:2, 0:3], image[0:2, 2:5], image[2:4, 0:3], image[2:4, 2:5],
                image[1:3, 1:4]]
    expected += [crop[:, ::-1] for crop in expected]
    numpy.testing.assert_array_equal(crops[10:, 0], numpy.stack(expected))


class TinyLayers(_pretrained.PretrainedLayers, Chain):
    """A cheap model with the pre-trained API, to check ``predict``."""

    MEAN_BGR = (1.0, 2.0, 3.0)

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.fc = L.Linear(3 * 224 * 224, 4)

    @property
    def functions(self):
        return collections.OrderedDict([('fc', [self.fc]),
                                        ('prob', [lambda h: F.softmax(h, axis=1)])])


@pytest.mark.parametrize('oversample', [True, False])
def test_predict_averages_the_probabilities_of_chainers_crops(oversample):
    model = TinyLayers()
    images = [numpy.random.RandomState(i).randint(0, 256, (300, 280, 3)).astype(numpy.uint8)
              for i in range(2)]
    y = model.predict(images, oversample=oversample)
    assert y.shape == (2, 4) and not y.requires_grad
    x = numpy.stack([model.prepare(image, (256, 256)) for image in images])
    if oversample:
        crops = torch.from_numpy(_pretrained.oversample_crops(x, (224, 224)))
        expected = torch.softmax(model.fc(crops), dim=1).view(2, 10, 4).mean(dim=1)
    else:
        expected = torch.softmax(model.fc(torch.from_numpy(x[:, :, 16:240, 16:240])), dim=1)
    numpy.testing.assert_allclose(y.numpy(), expected.detach().numpy(), rtol=1e-5, atol=1e-7)


@pytest.fixture(scope='module')
def resnet50():
    return L.ResNet50Layers(pretrained_model=None)


def test_extract_returns_the_requested_layers(resnet50):
    images = [numpy.full((40, 50, 3), 128, dtype=numpy.uint8), Image.new('RGB', (20, 30))]
    with chainvision.using_config('train', False), torch.no_grad():
        features = resnet50.extract(images, layers=['conv1', 'pool1', 'res5', 'pool5'],
                                    size=(32, 32))
        default = resnet50.extract(images, size=(32, 32))
    assert {name: tuple(value.shape) for name, value in features.items()} == {
        'conv1': (2, 64, 16, 16), 'pool1': (2, 64, 8, 8), 'res5': (2, 2048, 1, 1),
        'pool5': (2, 2048)}
    assert list(default) == ['pool5']
    numpy.testing.assert_array_equal(default['pool5'], features['pool5'])


def test_forward_rejects_unknown_layers_and_chainers_removed_arguments(resnet50):
    x = numpy.zeros((1, 3, 32, 32), 'f')
    with pytest.raises(ValueError, match=r"Unknown layer\(s\) 'pool6'.*available: conv1, pool1"):
        resnet50(x, layers=['pool5', 'pool6'])
    with pytest.raises(ValueError, match='test argument is not supported anymore'):
        resnet50(x, test=True)


@pytest.fixture
def model_roots(tmp_path, monkeypatch):
    ours, chainers = tmp_path / 'models', tmp_path / 'chainer'
    monkeypatch.setenv('CHAINVISION_MODEL_ROOT', str(ours))
    monkeypatch.setenv('CHAINER_DATASET_ROOT', str(chainers))
    return ours, chainers / 'pfnet' / 'chainer' / 'models'


def test_auto_without_weights_says_what_to_download_and_where(model_roots):
    with pytest.raises(FileNotFoundError) as error:
        L.GoogLeNet()
    message = str(error.value)
    for text in ('bvlc_googlenet.caffemodel', 'bvlc_googlenet.npz', str(model_roots[0]),
                 str(model_roots[1]), 'http://dl.caffe.berkeleyvision.org/bvlc_googlenet'
                 '.caffemodel', 'CHAINVISION_MODEL_ROOT'):
        assert text in message


def test_auto_converts_a_caffemodel_once_and_reads_chainers_folder(model_roots):
    ours, chainers = model_roots
    source = _helpers.randomize(L.GoogLeNet(pretrained_model=None))
    chainers.mkdir(parents=True)
    write_caffemodel(chainers / 'bvlc_googlenet.caffemodel',
                     _helpers.googlenet_caffe_layers(source))
    first = L.GoogLeNet()
    assert (ours / 'bvlc_googlenet.npz').is_file()  # the conversion is kept
    (chainers / 'bvlc_googlenet.caffemodel').unlink()
    second = L.GoogLeNet()
    (ours / 'bvlc_googlenet.npz').rename(chainers / 'bvlc_googlenet.npz')
    third = L.GoogLeNet()
    expected = source.conv2.W.detach().numpy().copy()
    for model in (first, second, third):
        numpy.testing.assert_array_equal(model.conv2.W.detach().numpy(), expected)
    serializers.save_npz(ours / 'bvlc_googlenet.npz', _helpers.randomize(source, seed=1))
    assert not numpy.array_equal(L.GoogLeNet().conv2.W.detach().numpy(), expected)
