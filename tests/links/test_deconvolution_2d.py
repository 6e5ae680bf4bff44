import numpy
import pytest
import torch
import torch.nn.functional as torch_f

import chainvision.links as L
from chainvision.link import is_initialized


def test_deconvolution_weight_layout_and_matches_conv_transpose():
    deconv = L.Deconvolution2D(4, 6, 3, stride=2, pad=1)
    assert deconv.W.shape == (4, 6, 3, 3) and deconv.b.shape == (6,)
    x = torch.randn(2, 4, 5, 5)
    y = deconv(x)
    assert y.shape == (2, 6, 9, 9)  # 2 * (5 - 1) + 3 - 2
    assert torch.allclose(y, torch_f.conv_transpose2d(x, deconv.W, deconv.b, 2, 1), atol=1e-5)


def test_deconvolution_two_argument_form_and_outsize():
    deconv = L.Deconvolution2D(3, 4, stride=2, pad=1, outsize=(10, 10))
    assert not is_initialized(deconv.W)
    x = numpy.random.rand(1, 5, 5, 5).astype(numpy.float32)
    y = deconv(x)
    assert deconv.W.shape == (5, 3, 4, 4)
    assert y.shape == (1, 3, 10, 10)
    reference = torch_f.conv_transpose2d(torch.from_numpy(x), deconv.W, deconv.b, 2, 1)
    assert torch.allclose(y, reference, atol=1e-5)


def test_deconvolution_groups():
    deconv = L.Deconvolution2D(None, 6, 2, groups=2, nobias=True)
    x = torch.randn(1, 4, 3, 3)
    y = deconv(x)
    assert deconv.W.shape == (4, 3, 2, 2) and deconv.b is None
    assert torch.allclose(y, torch_f.conv_transpose2d(x, deconv.W, groups=2), atol=1e-5)
    with pytest.raises(ValueError, match='must be divisible by groups'):
        L.Deconvolution2D(None, 6, 2, groups=4)
