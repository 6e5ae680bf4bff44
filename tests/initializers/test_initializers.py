"""Chainer's initializers: fan conventions, scales, constants and coercion."""

import math

import numpy
import pytest
import torch

import chainvision
import chainvision.links as L
from chainvision import initializers

# (out, in, kh, kw): fan_in = 16 * 9 = 144, fan_out = 64 * 9 = 576.
CONV_SHAPE = (64, 16, 3, 3)
FAN_IN, FAN_OUT = 144, 576


def _draw(initializer, shape=CONV_SHAPE):
    return initializers.generate_array(initializer, shape, numpy.float64)


def test_get_fans_follows_chainers_convention():
    assert initializers.get_fans(CONV_SHAPE) == (FAN_IN, FAN_OUT)
    assert initializers.get_fans((10, 20)) == (20, 10)
    with pytest.raises(ValueError, match='at least 2 dimensions'):
        initializers.get_fans((5,))


@pytest.mark.parametrize('initializer, expected_std', [
    (initializers.Normal(0.3), 0.3),
    (initializers.LeCunNormal(), math.sqrt(1 / FAN_IN)),
    (initializers.GlorotNormal(), math.sqrt(2 / (FAN_IN + FAN_OUT))),
    (initializers.HeNormal(), math.sqrt(2 / FAN_IN)),
    (initializers.HeNormal(scale=2.0, fan_option='fan_out'), 2.0 * math.sqrt(2 / FAN_OUT)),
])
def test_normal_initializers_have_the_documented_std(initializer, expected_std):
    values = _draw(initializer)
    assert abs(values.mean().item()) < 0.05 * expected_std + 1e-3
    assert values.std().item() == pytest.approx(expected_std, rel=0.03)


@pytest.mark.parametrize('initializer, bound', [
    (initializers.Uniform(0.2), 0.2),
    (initializers.LeCunUniform(), math.sqrt(3 / FAN_IN)),
    (initializers.GlorotUniform(), math.sqrt(6 / (FAN_IN + FAN_OUT))),
    (initializers.HeUniform(), math.sqrt(6 / FAN_IN)),
    (initializers.HeUniform(fan_option='fan_out'), math.sqrt(6 / FAN_OUT)),
])
def test_uniform_initializers_fill_their_interval(initializer, bound):
    values = _draw(initializer)
    assert values.abs().max().item() <= bound
    assert values.abs().max().item() > 0.95 * bound
    # U(-s, s) has std s / sqrt(3).
    assert values.std().item() == pytest.approx(bound / math.sqrt(3), rel=0.03)


def test_he_normal_rejects_an_unknown_fan_option():
    with pytest.raises(ValueError, match="'fan_in' or 'fan_out'"):
        _draw(initializers.HeNormal(fan_option='fan_avg'))


def test_constants():
    assert torch.all(_draw(initializers.Zero(), (2, 3)) == 0)
    assert torch.all(_draw(initializers.One(), (2, 3)) == 1)
    assert torch.all(torch.isnan(_draw(initializers.NaN(), (2,))))
    assert torch.equal(_draw(initializers.Identity(3.0), (2, 2)),
                       torch.tensor([[3.0, 0.0], [0.0, 3.0]], dtype=torch.float64))
    array = numpy.arange(6.0).reshape(2, 3)
    assert torch.equal(_draw(initializers.Constant(array), (2, 3)), torch.from_numpy(array))
    with pytest.raises(ValueError, match=r'shape \(2, 3\) but the parameter has shape \(3, 2\)'):
        _draw(initializers.Constant(array), (3, 2))


def test_orthogonal_gives_orthonormal_rows_times_scale():
    values = _draw(initializers.Orthogonal(scale=1.1), (4, 3, 2, 2))
    flat = values.reshape(4, 12)
    torch.testing.assert_close(flat @ flat.T, 1.21 * torch.eye(4, dtype=torch.float64))
    tall = _draw(initializers.Orthogonal(scale=1.0), (6, 3))
    torch.testing.assert_close(tall.T @ tall, torch.eye(3, dtype=torch.float64))


def test_links_accept_a_scalar_an_array_or_an_initializer():
    assert torch.all(L.Linear(3, 2, initialW=0.5).W == 0.5)
    weights = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    assert torch.equal(L.Linear(3, 2, initialW=weights).W.detach(), torch.from_numpy(weights))
    assert torch.all(L.Linear(3, 2, initial_bias=initializers.One()).b == 1)
    with pytest.raises(TypeError, match='initializer must be None, a number, an array'):
        L.Linear(3, 2, initialW='he')


def test_default_weight_initializer_is_lecun_normal():
    torch.manual_seed(0)
    weights = L.Convolution2D(16, 64, 3).W.detach()
    assert weights.std().item() == pytest.approx(math.sqrt(1 / FAN_IN), rel=0.03)


def test_parameters_take_config_dtype():
    with chainvision.using_config('dtype', numpy.float64):
        assert L.Linear(3, 2).W.dtype == torch.float64
    assert L.Linear(3, 2).W.dtype == torch.float32


def test_manual_seed_makes_initialization_reproducible():
    torch.manual_seed(3)
    first = L.Linear(4, 4).W.detach().clone()
    torch.manual_seed(3)
    assert torch.equal(L.Linear(4, 4).W.detach(), first)


def test_upsampling_deconv_filter_is_chainers_bilinear_tent():
    # Chainer 7.8.1 for a (2, 2, 4, 4) weight: channel c -> c holds the outer
    # product of [0.25, 0.75, 0.75, 0.25], other pairs are 0.
    W = initializers.generate_array(initializers.UpsamplingDeconvFilter(), (2, 2, 4, 4))
    tent = torch.tensor([0.25, 0.75, 0.75, 0.25])
    torch.testing.assert_close(W[0, 0], torch.outer(tent, tent))
    torch.testing.assert_close(W[1, 1], W[0, 0])
    assert W[0, 1].abs().sum() == 0


def test_downsampling_conv_filter_sums_to_one_per_channel():
    # Chainer 7.8.1 for (3, 1, 3, 3, 3): the middle slice is [[1, 2, 1], [2, 4, 2], [1, 2, 1]] / 32.
    W = initializers.generate_array(initializers.DownsamplingConvFilter(), (3, 1, 3, 3, 3))
    expected = torch.tensor([[1.0, 2, 1], [2, 4, 2], [1, 2, 1]]) / 32
    torch.testing.assert_close(W[2, 0, 1], expected)
    torch.testing.assert_close(W.sum(), torch.tensor(3.0))


def test_sampling_filters_check_their_arguments():
    with pytest.raises(ValueError, match='Unsupported interpolation'):
        initializers.UpsamplingDeconvFilter('cubic')
    with pytest.raises(ValueError, match='ksize must be all same'):
        initializers.generate_array(initializers.UpsamplingDeconvFilter(), (2, 2, 3, 4))
    with pytest.raises(ValueError, match='each channel to itself'):
        initializers.generate_array(initializers.DownsamplingConvFilter(), (2, 3, 3, 3))
