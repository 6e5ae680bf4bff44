"""Normalization functions: batch normalization (batch and fixed
statistics, running averages) and local response normalization."""

import numpy
import pytest
import torch

import chainvision.functions as F
from chainvision.gradient_check import check_backward

GAMMA, BETA = numpy.array([1., 2., .5]), numpy.array([0., .1, -.2])


def _reference_bn(x, gamma, beta, mean, var, eps=2e-5):
    shape = (1, -1) + (1,) * (x.ndim - 2)
    return (gamma.reshape(shape) * (x - mean.reshape(shape)) / numpy.sqrt(var.reshape(shape) + eps)
            + beta.reshape(shape))


def test_batch_normalization_uses_the_biased_batch_variance():
    x = numpy.random.randn(4, 3, 2, 2)
    y = F.batch_normalization(x, GAMMA, BETA)
    expected = _reference_bn(x, GAMMA, BETA, x.mean(axis=(0, 2, 3)), x.var(axis=(0, 2, 3)))
    numpy.testing.assert_allclose(y.numpy(), expected, rtol=1e-10)
    check_backward(F.batch_normalization, (x, GAMMA, BETA), numpy.random.randn(4, 3, 2, 2))


def test_batch_normalization_running_averages_follow_chainers_rule_with_unbiased_variance():
    mean, var = torch.zeros(2, dtype=torch.float64), torch.ones(2, dtype=torch.float64)
    rs = numpy.random.RandomState(0)
    for i in range(3):
        x = rs.randn(4, 2, 3, 3) * (i + 1) + i
        F.batch_normalization(x, numpy.ones(2), numpy.zeros(2), running_mean=mean,
                              running_var=var, decay=0.9)
    # Chainer 7.8.1, the same three batches: decay * r + (1 - decay) * stat, var unbiased.
    numpy.testing.assert_allclose(mean.numpy(), [0.34828241, 0.29223032], rtol=1e-7)
    numpy.testing.assert_allclose(var.numpy(), [2.34756412, 1.77132899], rtol=1e-7)


def test_batch_normalization_over_other_axes_updates_running_stats_too():
    x = numpy.random.randn(5, 4)
    gamma, beta = numpy.random.randn(5), numpy.random.randn(5)
    mean, var = torch.zeros(5, dtype=torch.float64), torch.zeros(5, dtype=torch.float64)
    y = F.batch_normalization(x, gamma, beta, running_mean=mean, running_var=var, axis=1,
                              decay=0.5)
    m, v = x.mean(axis=1), x.var(axis=1)
    expected = gamma[:, None] * (x - m[:, None]) / numpy.sqrt(v[:, None] + 2e-5) + beta[:, None]
    numpy.testing.assert_allclose(y.numpy(), expected, rtol=1e-10)
    numpy.testing.assert_allclose(mean.numpy(), 0.5 * m)
    numpy.testing.assert_allclose(var.numpy(), 0.5 * x.var(axis=1, ddof=1))
    check_backward(lambda *a: F.batch_normalization(*a, axis=1), (x, gamma, beta),
                   numpy.random.randn(5, 4))


def test_batch_normalization_updates_numpy_running_statistics_in_place():
    x = numpy.random.randn(4, 3, 2, 2)
    mean, var = numpy.zeros(3), numpy.ones(3)
    F.batch_normalization(x, GAMMA, BETA, running_mean=mean, running_var=var, decay=0.5)
    numpy.testing.assert_allclose(mean, 0.5 * x.mean(axis=(0, 2, 3)))
    numpy.testing.assert_allclose(var, 0.5 + 0.5 * x.var(axis=(0, 2, 3), ddof=1))


@pytest.mark.parametrize('x_dtype, param_dtype', [
    (numpy.float32, numpy.float64), (numpy.float64, numpy.float32), (numpy.float16, numpy.float64)])
def test_batch_normalizations_of_mixed_dtypes_return_xs_dtype(x_dtype, param_dtype):
    # Chainer 7.8.1 computes mixed dtypes in the promoted one and returns x's dtype.
    x = numpy.random.randn(4, 3, 2, 2).astype(x_dtype)
    gamma, beta = GAMMA.astype(param_dtype), BETA.astype(param_dtype)
    mean, var = numpy.zeros(3, param_dtype), numpy.ones(3, param_dtype)
    y = F.batch_normalization(x, gamma, beta, running_mean=mean, running_var=var)
    expected = _reference_bn(x.astype(numpy.float64), GAMMA, BETA, x.mean(axis=(0, 2, 3)),
                             x.var(axis=(0, 2, 3)))
    assert y.dtype == torch.from_numpy(x).dtype
    numpy.testing.assert_allclose(y.numpy(), expected, rtol=1e-2, atol=1e-2)
    assert mean.any()
    y = F.fixed_batch_normalization(x, gamma, beta, mean, var)
    assert y.dtype == torch.from_numpy(x).dtype
    numpy.testing.assert_allclose(y.numpy(), _reference_bn(x, GAMMA, BETA, mean, var),
                                  rtol=1e-2, atol=1e-2)


def test_fixed_batch_normalization_uses_the_given_statistics():
    x = numpy.random.randn(2, 3, 4)
    mean, var = numpy.array([.1, .2, .3]), numpy.array([1., 2., .5])
    y = F.fixed_batch_normalization(x, GAMMA, BETA, mean, var)
    numpy.testing.assert_allclose(y.numpy(), _reference_bn(x, GAMMA, BETA, mean, var), rtol=1e-10)
    check_backward(F.fixed_batch_normalization, (x, GAMMA, BETA, mean, var),
                   numpy.random.randn(2, 3, 4))


def _reference_lrn(x, n=5, k=2., alpha=1e-4, beta=.75):
    half = n // 2
    squares = numpy.pad(x ** 2, ((0, 0), (half, half)) + ((0, 0),) * (x.ndim - 2))
    window = sum(squares[:, i:i + x.shape[1]] for i in range(2 * half + 1))
    return x / (k + alpha * window) ** beta


def test_local_response_normalization_sums_squares_without_dividing_by_n():
    # Chainer 7.8.1: local_response_normalization(arange(6).reshape(1, 6) * 10)
    y = F.local_response_normalization(numpy.arange(6, dtype=numpy.float32).reshape(1, 6) * 10)
    numpy.testing.assert_allclose(
        y.numpy(), [[0., 5.6518373, 10.708635, 14.866754, 19.880838, 25.148668]], rtol=1e-6)


@pytest.mark.parametrize('n', [5, 4, 3])
def test_local_response_normalization_matches_chainers_window(n):
    x = numpy.random.randn(2, 7, 3, 3) * 10
    y = F.local_response_normalization(x, n=n)
    numpy.testing.assert_allclose(y.numpy(), _reference_lrn(x, n), rtol=1e-12)


def test_local_response_normalization_of_float16_on_the_cpu():
    x = numpy.random.randn(2, 7, 3).astype(numpy.float16)
    y = F.local_response_normalization(x)
    assert y.dtype == torch.float16
    expected = F.local_response_normalization(x.astype(numpy.float32))
    numpy.testing.assert_allclose(y.numpy(), expected.numpy(), rtol=1e-3, atol=1e-3)


def test_local_response_normalization_gradient():
    check_backward(lambda v: F.local_response_normalization(v, 3, 1., .5, .75),
                   numpy.random.randn(2, 4, 2, 2), numpy.random.randn(2, 4, 2, 2))


def test_batch_normalization_of_one_value_per_channel_gives_beta_as_chainer():
    mean, var = torch.zeros(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64)
    with pytest.warns(UserWarning, match='one value per channel'):
        y = F.batch_normalization(numpy.ones((1, 3)), GAMMA, BETA, running_mean=mean,
                                  running_var=var)
    numpy.testing.assert_allclose(y.numpy(), BETA[None])
    numpy.testing.assert_allclose(var.numpy(), [0.9] * 3)  # unbiased variance of one sample: 0


def test_normalize_adds_eps_to_the_norm():
    x = numpy.random.randn(3, 4)
    expected = x / (numpy.sqrt((x ** 2).sum(axis=1, keepdims=True)) + 1e-5)
    numpy.testing.assert_allclose(F.normalize(x).numpy(), expected, rtol=1e-12)
    numpy.testing.assert_allclose(F.normalize(x, eps=1., axis=0).numpy(),
                                  x / (numpy.sqrt((x ** 2).sum(axis=0)) + 1.), rtol=1e-12)
    check_backward(F.normalize, x, numpy.random.randn(3, 4))


def test_layer_normalization_normalizes_each_row():
    x, gamma, beta = numpy.random.randn(3, 5), numpy.random.randn(5), numpy.random.randn(5)
    mean, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)
    numpy.testing.assert_allclose(F.layer_normalization(x, gamma, beta).numpy(),
                                  gamma * (x - mean) / numpy.sqrt(var + 1e-5) + beta, rtol=1e-10)
    check_backward(F.layer_normalization, (x, gamma, beta), numpy.random.randn(3, 5))
    with pytest.raises(ValueError, match=r'\(N, D\)'):
        F.layer_normalization(numpy.zeros((2, 5, 1)), gamma, beta)


def test_group_normalization_normalizes_each_group_of_channels():
    x, gamma, beta = numpy.random.randn(2, 4, 3), numpy.random.randn(4), numpy.random.randn(4)
    grouped = x.reshape(2, 2, 6)
    normalized = ((grouped - grouped.mean(axis=2, keepdims=True))
                  / numpy.sqrt(grouped.var(axis=2, keepdims=True) + 1e-5)).reshape(2, 4, 3)
    numpy.testing.assert_allclose(F.group_normalization(x, 2, gamma, beta).numpy(),
                                  gamma[:, None] * normalized + beta[:, None], rtol=1e-10)
    check_backward(lambda *a: F.group_normalization(a[0], 2, *a[1:]), (x, gamma, beta),
                   numpy.random.randn(2, 4, 3))
    with pytest.raises(ValueError, match='cannot form 3 groups'):
        F.group_normalization(x, 3, gamma, beta)


def test_group_normalization_of_mixed_dtypes_returns_xs_dtype():
    x = numpy.random.randn(2, 4, 3).astype(numpy.float32)
    y = F.group_normalization(x, 2, numpy.ones(4), numpy.zeros(4))
    assert y.dtype == torch.float32
    expected = F.group_normalization(x.astype(numpy.float64), 2, numpy.ones(4), numpy.zeros(4))
    numpy.testing.assert_allclose(y.numpy(), expected.numpy(), rtol=1e-5, atol=1e-6)
