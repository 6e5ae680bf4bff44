import pytest
import torch

import chainvision.links as L


def test_bias_adds_along_the_given_axes():
    bias = L.Bias(axis=1, shape=(3,))
    assert torch.all(bias.b == 0)
    with torch.no_grad():
        bias.b.copy_(torch.tensor([1.0, 2.0, 3.0]))
    x = torch.zeros(2, 3, 4)
    assert torch.equal(bias(x)[1, :, 2], torch.tensor([1.0, 2.0, 3.0]))
    y = torch.arange(12.0).reshape(3, 4)
    assert torch.equal(L.Bias(axis=1)(x, y), y.expand(2, 3, 4))


def test_scale_with_bias_term_is_a_chain_of_w_and_bias():
    scale = L.Scale(axis=1, W_shape=(2,), bias_term=True)
    assert [name for name, _ in scale.namedparams()] == ['/W', '/bias/b']
    with torch.no_grad():
        scale.W.copy_(torch.tensor([2.0, 3.0]))
        scale.bias.b.copy_(torch.tensor([1.0, -1.0]))
    x = torch.ones(4, 2, 5, 5)
    y = scale(x)
    assert torch.all(y[:, 0] == 3) and torch.all(y[:, 1] == 2)


def test_scale_by_a_second_input():
    scale = L.Scale(axis=0, bias_term=True, bias_shape=(2,))
    x = torch.ones(2, 3)
    assert torch.equal(scale(x, torch.tensor([2.0, 5.0])), torch.tensor([[2.0] * 3, [5.0] * 3]))


def test_scale_and_bias_errors():
    with pytest.raises(ValueError, match='needs W_shape or bias_shape'):
        L.Scale(bias_term=True)
    with pytest.raises(TypeError, match=r'call it as link\(x, W\)'):
        L.Scale()(torch.ones(2, 3))
    with pytest.raises(ValueError, match=r'must match x\.shape\[1:2\] = \(3,\)'):
        L.Bias(1, (4,))(torch.ones(2, 3))
