"""L.GoogLeNet loads BVLC's caffemodel (current and V1 formats) and its
conversion to Chainer's npz exactly; L.VGG16Layers maps the VGG caffemodel's and
torchvision's names onto its links (checked by shape on the meta device:
VGG-16's 138 million weights are too big for a test file)."""

import numpy
import pytest
import torch

import chainvision
from chainvision import links as L
from tests.models.extractors import _helpers
from tests.models.weights._caffe_writer import write_caffemodel


@pytest.fixture(scope='module')
def source():
    return _helpers.randomize(L.GoogLeNet(pretrained_model=None))


def test_caffemodel_and_its_npz_conversion_give_the_same_network(tmp_path, source):
    npz_path, caffe_path = tmp_path / 'bvlc_googlenet.npz', tmp_path / 'bvlc_googlenet.caffemodel'
    write_caffemodel(caffe_path, _helpers.googlenet_caffe_layers(source))
    L.GoogLeNet.convert_caffemodel_to_npz(str(caffe_path), str(npz_path))
    expected = _helpers.arrays_of(source)
    for path in (npz_path, caffe_path):
        model = L.GoogLeNet(pretrained_model=str(path))
        for name, value in _helpers.arrays_of(model).items():
            numpy.testing.assert_array_equal(value, expected[name], err_msg=name)
    x = numpy.sin(0.001 * numpy.arange(3 * 224 * 224)).reshape(1, 3, 224, 224).astype('f') * 60
    layers = ['inception_4a', 'loss3_fc', 'loss1_fc2', 'loss2_fc2']
    with chainvision.using_config('train', False), torch.no_grad():
        reference = source(x, layers=layers)
        features = model(x, layers=layers)
    assert sorted(features) == sorted(layers)
    for name in layers:
        numpy.testing.assert_array_equal(features[name], reference[name], err_msg=name)
    # The auxiliary heads read inception_4a / 4d, not the previous layer.
    assert reference['loss1_fc2'].shape == (1, 1000)
    assert not torch.equal(reference['loss1_fc2'], reference['loss2_fc2'])


def test_v1_caffemodel_with_4d_blob_shapes_loads(tmp_path, source):
    path = tmp_path / 'old.caffemodel'
    write_caffemodel(path, _helpers.googlenet_caffe_layers(source), v1=True)
    model = L.GoogLeNet(pretrained_model=str(path))
    numpy.testing.assert_array_equal(model.loss3_fc.W.detach().numpy(),
                                     source.loss3_fc.W.detach().numpy())
    numpy.testing.assert_array_equal(model.inc5b.conv5.b.detach().numpy(),
                                     source.inc5b.conv5.b.detach().numpy())


def test_a_caffemodel_of_another_network_is_refused_naming_the_layer(tmp_path, source):
    path = tmp_path / 'other.caffemodel'
    write_caffemodel(path, _helpers.googlenet_caffe_layers(source)[:-1])
    with pytest.raises(ValueError, match="no layer 'loss3/classifier'.*bvlc_googlenet"):
        L.GoogLeNet(pretrained_model=str(path))


def test_torchvision_googlenet_is_refused_saying_why(tmp_path):
    path = tmp_path / 'googlenet-1378be20.pth'
    torch.save({'conv1.conv.weight': torch.zeros(64, 3, 7, 7)}, path)
    with pytest.raises(ValueError, match='BatchNorm after every convolution, no LRN'):
        L.GoogLeNet(pretrained_model=str(path))


def _vgg_on_meta():
    with torch.device('meta'):
        return L.VGG16Layers(pretrained_model=None)


def _shapes_fit(model, arrays):
    expected = {path.lstrip('/'): tuple(p.shape) for path, p in model.namedparams()}
    assert sorted(arrays) == sorted(expected)
    for key, array in arrays.items():
        assert int(numpy.prod(array.shape)) == int(numpy.prod(expected[key])), key


def test_vgg16_caffemodel_names_map_onto_the_links():
    model = _vgg_on_meta()
    convs = [(1, 2), (2, 2), (3, 3), (4, 3), (5, 3)]
    layers = {}
    for stage, n in convs:
        for i in range(1, n + 1):
            link = getattr(model, 'conv{}_{}'.format(stage, i))
            layers['conv{}_{}'.format(stage, i)] = [link.W, link.b]
    # The VGG file is in the V1 format: 4-D (1, 1, out, in) blobs.
    for name, (out_size, in_size) in (('fc6', (4096, 25088)), ('fc7', (4096, 4096)),
                                      ('fc8', (1000, 4096))):
        layers[name] = [numpy.broadcast_to(numpy.float32(0), (1, 1, out_size, in_size)),
                        numpy.broadcast_to(numpy.float32(0), (1, 1, 1, out_size))]
    layers['relu1_1'] = []
    _shapes_fit(model, model.caffe_arrays(layers))


def test_vgg16_torchvision_names_map_onto_the_links():
    model = _vgg_on_meta()
    conv_indices = [0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28]  # torchvision's features
    state = {}
    widths = [64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512]
    for index, in_size, out_size in zip(conv_indices, [3] + widths, widths):
        state['features.{}.weight'.format(index)] = torch.zeros(()).expand(
            out_size, in_size, 3, 3)
        state['features.{}.bias'.format(index)] = torch.zeros(()).expand(out_size)
    for index, (out_size, in_size) in zip((0, 3, 6), ((4096, 25088), (4096, 4096),
                                                      (1000, 4096))):
        state['classifier.{}.weight'.format(index)] = torch.zeros(()).expand(out_size, in_size)
        state['classifier.{}.bias'.format(index)] = torch.zeros(()).expand(out_size)
    arrays = model.torchvision_arrays(state)
    _shapes_fit(model, arrays)
    assert arrays['conv3_1/W'].shape == (256, 128, 3, 3)
    assert arrays['fc6/W'].shape == (4096, 25088)
