import pytest
import torch
import torch.nn.functional as torch_f

import chainvision.links as L


def test_mlp_convolution_is_a_conv_then_1x1_convs_with_activation_between():
    mlp = L.MLPConvolution2D(3, (8, 6, 4), 3, pad=1, activation=torch.tanh)
    assert [name for name, _ in mlp.namedparams()] == [
        '/0/W', '/0/b', '/1/W', '/1/b', '/2/W', '/2/b']
    assert mlp[1].W.shape == (6, 8, 1, 1)
    x = torch.randn(2, 3, 5, 5)
    h = torch.tanh(torch_f.conv2d(x, mlp[0].W, mlp[0].b, padding=1))
    h = torch.tanh(torch_f.conv2d(h, mlp[1].W, mlp[1].b))
    assert torch.allclose(mlp(x), torch_f.conv2d(h, mlp[2].W, mlp[2].b), atol=1e-5)


def test_mlp_convolution_two_argument_form_and_errors():
    mlp = L.MLPConvolution2D((4, 2), 1)
    assert mlp(torch.ones(1, 5, 3, 3)).shape == (1, 2, 3, 3)
    assert mlp[0].W.shape == (4, 5, 1, 1)
    with pytest.raises(ValueError, match='at least one'):
        L.MLPConvolution2D(3, (), 3)
