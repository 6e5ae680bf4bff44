import numpy
import pytest
import torch

import chainvision.links as L
from chainvision.link import is_initialized


def _input():
    return (numpy.arange(24, dtype=numpy.float32).reshape(2, 4, 3) ** 1.5 % 5).astype(
        numpy.float32)


def test_group_normalization_matches_chainer():
    gn = L.GroupNormalization(2, initial_gamma=numpy.array([1, 2, 3, 4], numpy.float32),
                              initial_beta=numpy.array([0, .5, 1, 1.5], numpy.float32))
    y = gn(_input())
    # Printed by chainer.links.GroupNormalization on the same input.
    expected = [[-0.4890834, -0.24192244, 0.1750129], [2.011077, 3.488198, -2.8872883],
                [-0.8518493, 2.2789373, 5.7809124], [-1.3528762, 4.2695084, -4.027301]]
    numpy.testing.assert_allclose(y.detach()[1].numpy(), expected, rtol=1e-5, atol=1e-6)


def test_group_normalization_lazy_size_defaults_and_errors():
    gn = L.GroupNormalization(3)
    assert not is_initialized(gn.gamma) and gn.eps == 1e-5
    x = torch.randn(2, 6, 4, 4)
    y = gn(x)
    assert gn.gamma.shape == gn.beta.shape == (6,)
    groups = x.reshape(2, 3, -1)
    expected = (groups - groups.mean(-1, keepdim=True)) / torch.sqrt(
        groups.var(-1, unbiased=False, keepdim=True) + 1e-5)
    assert torch.allclose(y, expected.reshape(x.shape), atol=1e-5)
    with pytest.raises(ValueError, match='divisible by groups'):
        gn(torch.randn(2, 4, 3))
