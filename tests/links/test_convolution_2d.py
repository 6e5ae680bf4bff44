import numpy
import pytest
import torch
import torch.nn.functional as torch_f

import chainvision.links as L
from chainvision.link import is_initialized


def test_three_argument_form_shapes_and_lecun_normal_default():
    conv = L.Convolution2D(16, 64, 3, stride=2, pad=1)
    assert conv.W.shape == (64, 16, 3, 3) and conv.b.shape == (64,)
    assert torch.all(conv.b == 0)
    assert conv.W.std().item() == pytest.approx((1 / (16 * 9)) ** 0.5, rel=0.05)
    x = torch.randn(2, 16, 9, 9)
    y = conv(x)
    assert y.shape == (2, 64, 5, 5)
    assert torch.allclose(y, torch_f.conv2d(x, conv.W, conv.b, 2, 1), atol=1e-5)


def test_two_argument_form_infers_in_channels_lazily():
    conv = L.Convolution2D(8, 3)
    assert not is_initialized(conv.W) and conv.b.shape == (8,)
    y = conv(numpy.ones((1, 5, 6, 6), numpy.float32))
    assert conv.W.shape == (8, 5, 3, 3) and y.shape == (1, 8, 4, 4)


def test_none_in_channels_and_groups_and_dilate():
    conv = L.Convolution2D(None, 6, 3, nobias=True, dilate=2, groups=3, initialW=1.0)
    assert conv.b is None
    x = torch.randn(1, 9, 7, 7)
    y = conv(x)
    assert conv.W.shape == (6, 3, 3, 3)
    assert torch.allclose(y, torch_f.conv2d(x, torch.ones(6, 3, 3, 3), None, dilation=2,
                                            groups=3), atol=1e-5)
    assert [name for name, _ in conv.namedparams()] == ['/W']


def test_initial_values_from_arrays():
    W = numpy.arange(2 * 1 * 2 * 2, dtype=numpy.float32).reshape(2, 1, 2, 2)
    conv = L.Convolution2D(1, 2, 2, initialW=W, initial_bias=numpy.array([1, -1], numpy.float32))
    y = conv(numpy.ones((1, 1, 2, 2), numpy.float32))
    assert y.flatten().tolist() == [0 + 1 + 2 + 3 + 1, 4 + 5 + 6 + 7 - 1]


def test_convolution_argument_errors():
    with pytest.raises(TypeError, match='needs out_channels and ksize'):
        L.Convolution2D(3)
    with pytest.raises(ValueError, match=r'out_channels \(5\) must be divisible by groups'):
        L.Convolution2D(4, 5, 3, groups=2)
    with pytest.raises(ValueError, match=r'in_channels \(3\) must be divisible'):
        L.Convolution2D(None, 4, 3, groups=2)(torch.ones(1, 3, 5, 5))


def test_lazy_parameter_loads_from_state_dict():
    source = L.Convolution2D(3, 4, 3)
    target = L.Convolution2D(4, 3)
    target.load_state_dict(source.state_dict())
    assert torch.equal(target.W, source.W)


@pytest.mark.gpu
def test_lazy_initialization_on_cuda():
    conv = L.Convolution2D(None, 4, 3).to('cuda')
    y = conv(torch.ones(1, 2, 5, 5, device='cuda'))
    assert conv.W.device.type == 'cuda' and y.device.type == 'cuda'


def test_dilated_convolution_takes_dilate_positionally():
    conv = L.DilatedConvolution2D(2, 3, 3, 1, 2, 2)
    x = torch.randn(1, 2, 7, 7)
    assert conv.dilate == (2, 2) and conv.W.shape == (3, 2, 3, 3)
    assert torch.allclose(conv(x), torch_f.conv2d(x, conv.W, conv.b, 1, 2, 2), atol=1e-5)
    assert L.DilatedConvolution2D(3, 3)(x).shape == (1, 3, 5, 5)


def test_from_params_copies_the_arrays_and_keeps_the_geometry():
    W, b = torch.randn(6, 2, 3, 1), torch.randn(6)
    link = L.Convolution2D.from_params(W, b, stride=2, pad=1, groups=2)
    assert torch.equal(link.W, W) and torch.equal(link.b, b)
    assert (link.stride, link.pad, link.groups) == ((2, 2), (1, 1), 2)
    assert link(numpy.zeros((1, 4, 5, 5), numpy.float32)).shape == (1, 6, 3, 4)
    with pytest.raises(ValueError, match='size of `b`'):
        L.Convolution2D.from_params(W, torch.zeros(5))
