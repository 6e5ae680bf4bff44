"""The caffemodel reader against an independent wire-format writer."""

import numpy
import pytest

from chainvision.models.weights import read_caffemodel
from tests.models.weights._caffe_writer import write_caffemodel

CONV_W = numpy.arange(2 * 3 * 3 * 3, dtype='f').reshape(2, 3, 3, 3) - 20.5
BIAS = numpy.array([0.25, -1e-7], 'f')
FC_W = numpy.linspace(-1, 1, 12, dtype='f').reshape(3, 4)


@pytest.mark.parametrize('v1, packed', [(False, True), (True, True), (False, False)])
def test_read_caffemodel_returns_each_layers_blobs_with_their_shapes(tmp_path, v1, packed):
    path = tmp_path / 'net.caffemodel'
    write_caffemodel(path, [('conv1', 'Convolution', [CONV_W, BIAS]), ('relu1', 'ReLU', []),
                            ('fc/8', 'InnerProduct', [FC_W])], v1=v1, packed=packed)
    layers = read_caffemodel(path)
    assert list(layers) == ['conv1', 'relu1', 'fc/8']
    assert layers['relu1'] == []
    conv_w, bias = layers['conv1']
    numpy.testing.assert_array_equal(conv_w, CONV_W)
    assert conv_w.dtype == numpy.float32
    # The V1 format stores legacy 4-D (num, channels, height, width) shapes.
    assert bias.shape == ((1, 1, 1, 2) if v1 else (2,))
    numpy.testing.assert_array_equal(bias.ravel(), BIAS)
    assert layers['fc/8'][0].shape == ((1, 1, 3, 4) if v1 else (3, 4))
    numpy.testing.assert_array_equal(layers['fc/8'][0].reshape(3, 4), FC_W)


def test_read_caffemodel_rejects_a_file_that_is_not_one(tmp_path):
    path = tmp_path / 'weights.caffemodel'
    numpy.save(tmp_path / 'x.npy', numpy.zeros(3))
    path.write_bytes((tmp_path / 'x.npy').read_bytes())
    with pytest.raises(ValueError, match='caffemodel'):
        read_caffemodel(path)
