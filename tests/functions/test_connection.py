"""Connection functions: convolution, deconvolution, depthwise convolution
and linear, against plain PyTorch / NumPy references and Chainer 7.8.1."""

import numpy
import pytest
import torch
import torch.nn.functional as torch_f

import chainvision.functions as F
from chainvision.gradient_check import check_backward


def test_convolution_2d_matches_torch_and_has_gradients():
    x, W, b = numpy.random.randn(2, 3, 5, 5), numpy.random.randn(4, 3, 3, 3), numpy.random.randn(4)
    y = F.convolution_2d(x, W, b, stride=2, pad=1)
    expected = torch_f.conv2d(*map(torch.as_tensor, (x, W, b)), stride=2, padding=1)
    torch.testing.assert_close(y, expected)
    check_backward(lambda *a: F.convolution_2d(*a, stride=2, pad=1), (x, W, b),
                   numpy.random.randn(*y.shape))


def test_convolution_2d_cover_all_adds_a_window_on_the_bottom_right():
    x, W = numpy.random.randn(1, 1, 5, 5), numpy.random.randn(1, 1, 3, 3)
    assert F.convolution_2d(x, W, stride=3).shape == (1, 1, 1, 1)
    y = F.convolution_2d(x, W, stride=3, cover_all=True)
    assert y.shape == (1, 1, 2, 2)
    padded = numpy.pad(x, ((0, 0), (0, 0), (0, 1), (0, 1)))
    torch.testing.assert_close(y, torch_f.conv2d(torch.as_tensor(padded), torch.as_tensor(W),
                                                 stride=3))


def test_convolution_2d_groups_and_dilation():
    x, W = numpy.random.randn(1, 4, 7, 7), numpy.random.randn(6, 2, 3, 3)
    y = F.convolution_2d(x, W, pad=2, dilate=2, groups=2)
    torch.testing.assert_close(y, torch_f.conv2d(torch.as_tensor(x), torch.as_tensor(W),
                                                 padding=2, dilation=2, groups=2))


def test_convolution_2d_channel_mismatch_is_a_clear_error():
    with pytest.raises(ValueError, match='3 channels but the weight expects 4'):
        F.convolution_2d(numpy.zeros((1, 3, 4, 4)), numpy.zeros((2, 4, 3, 3)))
    with pytest.raises(ValueError, match=r'\(N, C, H, W\)'):
        F.convolution_2d(numpy.zeros((3, 4, 4)), numpy.zeros((2, 3, 3, 3)))


def test_convolution_2d_rejects_a_dilation_below_one():
    with pytest.raises(ValueError, match='dilate must be at least 1'):
        F.convolution_2d(numpy.zeros((1, 1, 4, 4)), numpy.zeros((1, 1, 3, 3)), dilate=0)


@pytest.mark.parametrize('function, w_shape', [
    (lambda x, W, b: F.linear(x, W, b), (3, 12)),
    (lambda x, W, b: F.convolution_2d(x, W, b, pad=1), (3, 3, 3, 3)),
    (lambda x, W, b: F.convolution_nd(x, W, b), (3, 3, 1, 2)),
    (lambda x, W, b: F.deconvolution_2d(x, W, b, stride=2), (3, 3, 2, 2)),
    (lambda x, W, b: F.deconvolution_nd(x, W, b), (3, 3, 1, 1)),
])
def test_connections_compute_mixed_dtypes_in_the_promoted_one_and_return_xs(function, w_shape):
    # Chainer 7.8.1: x float16 with W float64 gives float16, computed in float64.
    x = numpy.random.uniform(-1, 1, (2, 3, 2, 2)).astype(numpy.float16)
    W = numpy.random.uniform(-1, 1, w_shape)
    b = numpy.random.uniform(-1, 1, 3)
    y = function(x, W, b)
    assert y.dtype == torch.float16
    expected = function(x.astype(numpy.float64), W, b)
    torch.testing.assert_close(y, expected.to(torch.float16))
    check_backward(function, (x, W, b), numpy.random.randn(*y.shape).astype(numpy.float16),
                   dtype=numpy.float64, atol=1e-2, rtol=1e-2)


def test_deconvolution_2d_is_the_transpose_of_convolution():
    x, W, b = numpy.random.randn(2, 3, 3, 3), numpy.random.randn(3, 2, 3, 3), numpy.random.randn(2)
    y = F.deconvolution_2d(x, W, b, stride=2, pad=1)
    assert y.shape == (2, 2, 5, 5)  # s * (H - 1) + k - 2p
    expected = torch_f.conv_transpose2d(*map(torch.as_tensor, (x, W, b)), stride=2, padding=1)
    torch.testing.assert_close(y, expected)
    check_backward(lambda *a: F.deconvolution_2d(*a, stride=2, pad=1), (x, W, b),
                   numpy.random.randn(*y.shape))


def test_deconvolution_2d_outsize_reference_from_chainer():
    # Chainer 7.8.1: deconvolution_2d(ones(1, 1, 2, 2), arange(4).reshape(1, 1, 2, 2),
    #                                 stride=2, pad=1, outsize=(3, 3))
    y = F.deconvolution_2d(numpy.ones((1, 1, 2, 2)), numpy.arange(4.).reshape(1, 1, 2, 2),
                           None, 2, 1, outsize=(3, 3))
    numpy.testing.assert_array_equal(y[0, 0].numpy(), [[3., 2., 3.], [1., 0., 1.], [3., 2., 3.]])


def test_deconvolution_2d_outsize_beyond_the_windows_is_zero_plus_bias():
    x, W = numpy.random.randn(1, 2, 3, 3), numpy.random.randn(2, 1, 3, 3)
    # A stride-3 convolution of 9 pixels with cover_all gives 3 again, so Chainer accepts it,
    # although torch's output_padding could not reach it.
    y = F.deconvolution_2d(x, W, numpy.array([0.5]), stride=3, pad=1, outsize=(9, 9))
    assert y.shape == (1, 1, 9, 9)
    numpy.testing.assert_array_equal(y[0, 0, -1].numpy(), numpy.full(9, 0.5))
    check_backward(lambda *a: F.deconvolution_2d(*a, stride=3, pad=1, outsize=(9, 9)), (x, W),
                   numpy.random.randn(1, 1, 9, 9))
    with pytest.raises(ValueError, match='outsize'):
        F.deconvolution_2d(x, W, stride=3, pad=1, outsize=(12, 12))


def test_deconvolution_2d_groups_and_dilation_match_torch():
    x, W = numpy.random.randn(1, 4, 3, 3), numpy.random.randn(4, 3, 3, 3)
    y = F.deconvolution_2d(x, W, stride=2, dilate=2, groups=2)
    torch.testing.assert_close(y, torch_f.conv_transpose2d(
        torch.as_tensor(x), torch.as_tensor(W), stride=2, dilation=2, groups=2))
    with pytest.raises(ValueError, match='in_channels'):
        F.deconvolution_2d(numpy.zeros((1, 3, 3, 3)), W)


def test_depthwise_convolution_2d_uses_chainers_weight_layout():
    # Chainer 7.8.1: output channel c * multiplier + m is channel c times W[m, c].
    x = numpy.arange(8.).reshape(1, 2, 2, 2)
    W = numpy.array([1., 2., 3., 4.]).reshape(2, 2, 1, 1)
    y = F.depthwise_convolution_2d(x, W)
    expected = numpy.stack([x[0, 0] * 1, x[0, 0] * 3, x[0, 1] * 2, x[0, 1] * 4])
    numpy.testing.assert_array_equal(y[0].numpy(), expected)


def test_depthwise_convolution_2d_gradient_and_errors():
    x, W, b = numpy.random.randn(1, 3, 4, 4), numpy.random.randn(2, 3, 3, 3), numpy.random.randn(6)
    y = F.depthwise_convolution_2d(x, W, b, stride=2, pad=1)
    assert y.shape == (1, 6, 2, 2)
    check_backward(lambda *a: F.depthwise_convolution_2d(*a, stride=2, pad=1), (x, W, b),
                   numpy.random.randn(*y.shape))
    with pytest.raises(ValueError, match='channel_multiplier, in_channels'):
        F.depthwise_convolution_2d(x, numpy.zeros((2, 4, 3, 3)))


def test_linear_flattens_the_non_batch_axes():
    x, W, b = numpy.random.randn(2, 3, 2, 2), numpy.random.randn(5, 12), numpy.random.randn(5)
    y = F.linear(x, W, b)
    numpy.testing.assert_allclose(y.numpy(), x.reshape(2, 12) @ W.T + b, rtol=1e-12)
    check_backward(F.linear, (x, W, b), numpy.random.randn(2, 5))


def test_linear_n_batch_axes_and_size_error():
    x, W = numpy.random.randn(2, 3, 4), numpy.random.randn(5, 4)
    assert F.linear(x, W, n_batch_axes=2).shape == (2, 3, 5)
    with pytest.raises(ValueError, match='12 features'):
        F.linear(x, W)
