"""Activation functions: values against NumPy formulas, Chainer's defaults,
and gradients by ``check_backward``."""

import math

import numpy
import pytest
import torch

import chainvision.functions as F
from chainvision.gradient_check import check_backward


def _x(*shape):
    # Keep clear of the kinks at 0 so that the finite differences are smooth.
    x = numpy.random.uniform(-2, 2, shape)
    return numpy.where(numpy.abs(x) < 0.1, 0.5, x)


SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805


def _sigmoid(x):
    return 1 / (1 + numpy.exp(-x))


ELEMENTWISE = [
    (F.relu, lambda x: numpy.maximum(x, 0)),
    (F.leaky_relu, lambda x: numpy.where(x >= 0, x, 0.2 * x)),
    (F.elu, lambda x: numpy.where(x >= 0, x, numpy.exp(x) - 1)),
    (F.clipped_relu, lambda x: numpy.clip(x, 0, 20)),
    (F.sigmoid, _sigmoid),
    (F.hard_sigmoid, lambda x: numpy.clip(0.2 * x + 0.5, 0, 1)),
    (F.tanh, numpy.tanh),
    (F.relu6, lambda x: numpy.clip(x, 0, 6)),
    (F.softplus, lambda x: numpy.log1p(numpy.exp(x))),
    (F.selu, lambda x: SELU_SCALE * numpy.where(x >= 0, x, SELU_ALPHA * (numpy.exp(x) - 1))),
    (F.gelu, lambda x: x * 0.5 * (1 + numpy.vectorize(math.erf)(x / math.sqrt(2)))),
]


@pytest.mark.parametrize('function,reference', ELEMENTWISE,
                         ids=lambda f: getattr(f, '__name__', ''))
def test_activation_matches_its_formula_and_gradient(function, reference):
    x = _x(3, 4)
    y = function(x)
    assert isinstance(y, torch.Tensor) and y.shape == (3, 4) and y.dtype == torch.float64
    numpy.testing.assert_allclose(y.numpy(), reference(x), rtol=1e-12, atol=1e-12)
    check_backward(function, x, numpy.random.randn(3, 4))


def test_leaky_relu_default_slope_is_chainers_0_2():
    assert F.leaky_relu(numpy.array([-1.0])).item() == pytest.approx(-0.2)


def test_elu_alpha_scales_the_negative_side():
    # Chainer 7.8.1: F.elu([-1, 0, 2], 0.5) -> [-0.31606028, 0, 2]
    numpy.testing.assert_allclose(F.elu(numpy.array([-1., 0., 2.]), 0.5).numpy(),
                                  [-0.31606028, 0., 2.], rtol=1e-7)


def test_hard_sigmoid_uses_chainers_slope_0_2_not_torchs_one_sixth():
    # Chainer 7.8.1: [0, 0.5, 0.7, 1]
    numpy.testing.assert_allclose(F.hard_sigmoid(numpy.array([-3., 0., 1., 3.])).numpy(),
                                  [0., 0.5, 0.7, 1.])


def test_clipped_relu_clips_at_z_and_rejects_nonpositive_z():
    numpy.testing.assert_array_equal(F.clipped_relu(numpy.array([-1., 3., 30.])).numpy(),
                                     [0., 3., 20.])
    assert F.clipped_relu(numpy.array([7.]), z=5.).item() == 5.
    with pytest.raises(ValueError, match='positive'):
        F.clipped_relu(numpy.zeros(2), z=0)


def test_gelu_tanh_approximation_is_close_to_exact():
    x = numpy.linspace(-3, 3, 13)
    exact, approx = F.gelu(x), F.gelu(x, approximate='tanh')
    assert (exact - approx).abs().max() < 1e-3
    assert not torch.equal(exact, approx)
    with pytest.raises(ValueError, match='approximate'):
        F.gelu(x, approximate='fast')


def test_swish_broadcasts_beta_over_the_channel_axis():
    x = _x(2, 3, 4)
    beta = numpy.array([0.5, 1.0, 2.0])
    expected = x * _sigmoid(beta[None, :, None] * x)
    numpy.testing.assert_allclose(F.swish(x, beta).numpy(), expected, rtol=1e-12)
    check_backward(F.swish, (x, beta), numpy.random.randn(2, 3, 4))
    with pytest.raises(ValueError, match='beta'):
        F.swish(x, numpy.ones(4))


@pytest.mark.parametrize('axis', [1, 0, -1])
def test_softmax_and_log_softmax_along_axis(axis):
    x = _x(3, 4, 2)
    e = numpy.exp(x - x.max(axis=axis, keepdims=True))
    expected = e / e.sum(axis=axis, keepdims=True)
    numpy.testing.assert_allclose(F.softmax(x, axis).numpy(), expected, rtol=1e-12)
    numpy.testing.assert_allclose(F.log_softmax(x, axis).numpy(), numpy.log(expected), rtol=1e-12)
    gy = numpy.random.randn(3, 4, 2)
    check_backward(lambda v: F.softmax(v, axis), x, gy)
    check_backward(lambda v: F.log_softmax(v, axis), x, gy)


def test_softmax_default_axis_is_the_class_axis_1():
    y = F.softmax(_x(2, 5, 3))
    numpy.testing.assert_allclose(y.sum(dim=1).numpy(), numpy.ones((2, 3)))


def test_activations_keep_float32_and_accept_tensors():
    x = torch.randn(2, 3)
    for function in (F.relu, F.leaky_relu, F.elu, F.clipped_relu, F.sigmoid, F.hard_sigmoid,
                     F.tanh, F.gelu, F.softmax, F.log_softmax):
        assert function(x).dtype == torch.float32


def test_relu6_caps_at_six():
    numpy.testing.assert_array_equal(F.relu6(numpy.array([-1., 3., 7.])).numpy(), [0., 3., 6.])


def test_softplus_beta_and_no_threshold_for_large_inputs():
    x = numpy.array([-3., 0., 2., 30.])
    numpy.testing.assert_allclose(F.softplus(x, 2.0).numpy(), numpy.log1p(numpy.exp(2 * x)) / 2,
                                  rtol=1e-14)
    check_backward(lambda v: F.softplus(v, 2.0), x, numpy.ones(4))


def test_prelu_slopes_line_up_with_the_axes_after_the_batch_axis():
    x = _x(2, 3, 4)
    for W in (numpy.array([0.1, 0.5, 2.0]), numpy.random.rand(3, 4)):
        slope = W.reshape((1,) + W.shape + (1,) * (2 - W.ndim))
        numpy.testing.assert_allclose(F.prelu(x, W).numpy(), numpy.where(x >= 0, x, slope * x))
        check_backward(F.prelu, (x, W), numpy.random.randn(2, 3, 4))
    with pytest.raises(ValueError, match=r'x.shape\[1:2\] = \(3,\)'):
        F.prelu(x, numpy.ones(4))


def test_softplus_takes_beta_as_a_numpy_scalar():
    x = numpy.linspace(-2, 2, 5)
    numpy.testing.assert_allclose(F.softplus(x, numpy.array(1.5)).numpy(),
                                  numpy.log1p(numpy.exp(1.5 * x)) / 1.5, rtol=1e-6)
