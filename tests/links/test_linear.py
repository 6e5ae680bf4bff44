import numpy
import pytest
import torch

import chainvision.links as L
from chainvision.link import is_initialized


def test_linear_computes_x_w_transposed_plus_b():
    linear = L.Linear(3, 2, initialW=numpy.array([[1, 0, -1], [2, 2, 2]], numpy.float32),
                      initial_bias=0.5)
    y = linear(numpy.array([[1, 2, 3]], numpy.float32))
    assert y.tolist() == [[1 - 3 + 0.5, 12 + 0.5]]


def test_linear_one_argument_form_flattens_trailing_axes():
    linear = L.Linear(7)
    assert not is_initialized(linear.W)
    y = linear(torch.ones(2, 3, 1, 2))
    assert linear.W.shape == (7, 6) and y.shape == (2, 7)


def test_linear_n_batch_axes_and_nobias():
    linear = L.Linear(None, 4, nobias=True)
    y = linear(torch.randn(2, 3, 5), n_batch_axes=2)
    assert linear.W.shape == (4, 5) and y.shape == (2, 3, 4) and linear.b is None
    assert [name for name, _ in linear.namedparams()] == ['/W']


def test_linear_default_initializer_is_lecun_normal():
    linear = L.Linear(400, 300)
    assert linear.W.std().item() == pytest.approx((1 / 400) ** 0.5, rel=0.03)
    assert torch.all(linear.b == 0)


def test_linear_from_params_copies_the_arrays():
    W, b = torch.randn(4, 3, requires_grad=True), numpy.arange(4, dtype=numpy.float32)
    link = L.Linear.from_params(W, b)
    assert torch.equal(link.W, W) and link.W is not W
    numpy.testing.assert_array_equal(link.b.detach().numpy(), b)
    assert L.Linear.from_params(W, nobias=True).b is None
    with pytest.raises(ValueError, match='size of `b`'):
        L.Linear.from_params(W, numpy.zeros(3, numpy.float32))


def test_linear_initializes_lazily_from_an_empty_batch():
    link = L.Linear(None, 2)
    assert link(numpy.zeros((0, 3, 2), numpy.float32)).shape == (0, 2)
    assert link.W.shape == (2, 6)
