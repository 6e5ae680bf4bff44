"""Pooling functions: Chainer's output sizes (``cover_all``), padding rules,
values and gradients."""

import numpy
import pytest
import torch

import chainvision.functions as F
from chainvision.gradient_check import check_backward


def _distinct(*shape):
    # Distinct values keep every max unique, so max pooling is differentiable.
    return numpy.random.permutation(numpy.prod(shape)).reshape(shape).astype(numpy.float64)


def _naive_pool(x, k, s, p, out, reduce, fill):
    padded = numpy.full(x.shape[:2] + (x.shape[2] + 2 * p + k, x.shape[3] + 2 * p + k), fill)
    padded[:, :, p:p + x.shape[2], p:p + x.shape[3]] = x
    y = numpy.empty(x.shape[:2] + (out, out))
    for i in range(out):
        for j in range(out):
            y[:, :, i, j] = reduce(padded[:, :, i * s:i * s + k, j * s:j * s + k], axis=(2, 3))
    return y


def test_max_pooling_2d_cover_all_pads_the_last_window():
    assert F.max_pooling_2d(numpy.ones((1, 1, 1, 1)), 2, 2).shape == (1, 1, 1, 1)
    assert F.max_pooling_2d(numpy.ones((1, 1, 5, 5)), 2, 2).shape == (1, 1, 3, 3)
    assert F.max_pooling_2d(numpy.ones((1, 1, 5, 5)), 2, 2, cover_all=False).shape == (1, 1, 2, 2)


def test_max_pooling_2d_3x3_k2_s2_p1_gives_chainers_3x3_with_empty_windows():
    # Chainer 7.8.1: the last row and column of windows lie wholly in the padding.
    y = F.max_pooling_2d(numpy.arange(9.).reshape(1, 1, 3, 3), 2, 2, 1)
    expected = numpy.array([[0., 2., -numpy.inf], [6., 8., -numpy.inf], [-numpy.inf] * 3])
    numpy.testing.assert_array_equal(y[0, 0].numpy(), expected)


@pytest.mark.parametrize('size,k,s,p,cover_all', [
    (5, 2, 2, 0, True), (5, 3, 2, 1, True), (5, 3, 2, 1, False), (6, 3, 3, 1, True),
    (5, 2, 3, 1, True), (7, 3, 1, 1, False),
])
def test_max_pooling_2d_matches_a_naive_window_max(size, k, s, p, cover_all):
    x = _distinct(2, 2, size, size)
    out = (size + 2 * p - k + (s - 1 if cover_all else 0)) // s + 1
    y = F.max_pooling_2d(x, k, s, p, cover_all=cover_all)
    numpy.testing.assert_array_equal(y.numpy(), _naive_pool(x, k, s, p, out, numpy.max, -numpy.inf))
    if numpy.isfinite(y.numpy()).all():
        check_backward(lambda v: F.max_pooling_2d(v, k, s, p, cover_all=cover_all), x,
                       numpy.random.randn(*y.shape))


def test_max_pooling_2d_return_indices_are_positions_within_each_window():
    x = numpy.random.RandomState(0).randn(1, 1, 5, 5)
    y, indices = F.max_pooling_2d(x, 3, 2, 1, return_indices=True)
    # Chainer 7.8.1, the same x: row * kw + col inside each 3x3 window.
    numpy.testing.assert_array_equal(indices[0, 0].numpy(), [[4, 5, 3], [8, 6, 4], [2, 0, 4]])
    for i in range(3):
        for j in range(3):
            row, col = 2 * i - 1 + indices[0, 0, i, j] // 3, 2 * j - 1 + indices[0, 0, i, j] % 3
            assert x[0, 0, row, col] == y[0, 0, i, j]


def test_max_pooling_2d_return_indices_of_empty_windows_are_zero():
    # Chainer 7.8.1: k=2, s=2, p=1 on a 3x3 map.
    _, indices = F.max_pooling_2d(numpy.arange(9.).reshape(1, 1, 3, 3), 2, 2, 1,
                                  return_indices=True)
    numpy.testing.assert_array_equal(indices[0, 0].numpy(), [[3, 3, 0], [3, 3, 0], [0, 0, 0]])


@pytest.mark.parametrize('size,k,s,p', [(5, 2, 2, 0), (5, 3, 2, 1), (5, 2, 2, 1), (4, 1, 1, 1)])
def test_average_pooling_2d_counts_padded_zeros(size, k, s, p):
    x = numpy.random.randn(2, 3, size, size)
    out = (size + 2 * p - k) // s + 1
    y = F.average_pooling_2d(x, k, s, p)
    numpy.testing.assert_allclose(y.numpy(), _naive_pool(x, k, s, p, out, numpy.mean, 0.0),
                                  rtol=1e-12)
    check_backward(lambda v: F.average_pooling_2d(v, k, s, p), x, numpy.random.randn(*y.shape))


def test_average_pooling_2d_3x3_k2_s2_p1_reference():
    # Chainer 7.8.1: [[0, 0.75], [2.25, 6]] (the corner window divides 0 by 4).
    y = F.average_pooling_2d(numpy.arange(9.).reshape(1, 1, 3, 3), 2, 2, 1)
    numpy.testing.assert_allclose(y[0, 0].numpy(), [[0., 0.75], [2.25, 6.]])


def test_unpooling_2d_copies_each_pixel_into_its_window():
    x = numpy.arange(6.).reshape(1, 1, 2, 3)
    y = F.unpooling_2d(x, 2, cover_all=False)
    numpy.testing.assert_array_equal(y[0, 0].numpy(), x[0, 0].repeat(2, 0).repeat(2, 1))
    check_backward(lambda v: F.unpooling_2d(v, 2, cover_all=False), x,
                   numpy.random.randn(1, 1, 4, 6))


def test_unpooling_2d_default_cover_all_drops_the_last_row_and_column():
    # Chainer 7.8.1: k = s = 2 with cover_all=True gives 2 * (H - 1) + 1.
    x = numpy.arange(6.).reshape(1, 1, 2, 3)
    y = F.unpooling_2d(x, 2)
    numpy.testing.assert_array_equal(y[0, 0].numpy(), x[0, 0].repeat(2, 0).repeat(2, 1)[:3, :5])


def test_unpooling_2d_cover_all_sizes_invert_max_pooling():
    x = numpy.random.randn(1, 2, 3, 3)
    # s * (H - 1) + k - s + 1 - 2p with cover_all, s * (H - 1) + k - 2p without.
    assert F.unpooling_2d(x, 3, 2, 1).shape[2:] == (4, 4)
    assert F.unpooling_2d(x, 3, 2, 1, cover_all=False).shape[2:] == (5, 5)
    assert F.max_pooling_2d(F.unpooling_2d(x, 3, 2, 1), 3, 2, 1).shape == x.shape


def test_unpooling_2d_overlapping_windows_add_up():
    # Chainer 7.8.1: unpooling_2d([[1, 2], [3, 4]], 3, 2, 1) -> [[1, 3], [4, 10]]
    y = F.unpooling_2d(numpy.arange(1., 5.).reshape(1, 1, 2, 2), 3, 2, 1)
    numpy.testing.assert_array_equal(y[0, 0].numpy(), [[1., 3.], [4., 10.]])
    check_backward(lambda v: F.unpooling_2d(v, 3, 2, 1), numpy.random.randn(1, 2, 3, 3),
                   numpy.random.randn(1, 2, 4, 4))


def test_unpooling_2d_outsize_fills_with_zeros_and_is_checked():
    y = F.unpooling_2d(numpy.ones((1, 1, 3, 3)), 2, outsize=(6, 6))
    assert y.shape == (1, 1, 6, 6) and y.sum().item() == 36
    with pytest.raises(ValueError, match='pools back'):
        F.unpooling_2d(numpy.ones((1, 1, 3, 3)), 2, outsize=(9, 9))


def test_upsampling_2d_puts_each_maximum_back_where_it_came_from():
    x = _distinct(1, 2, 4, 4)
    y, indices = F.max_pooling_2d(x, 2, 2, return_indices=True)
    restored = F.upsampling_2d(y, indices, 2, cover_all=False)
    is_max = restored.numpy() != 0
    numpy.testing.assert_array_equal(restored.numpy()[is_max], x[is_max])
    assert is_max.sum() == 8
    check_backward(lambda v: F.upsampling_2d(v, indices, 2, cover_all=False), y.numpy(),
                   numpy.random.randn(1, 2, 4, 4))


def test_upsampling_2d_drops_values_in_the_padding_and_sums_overlaps():
    # Chainer 7.8.1: k=3, s=2, p=1 into 3x3; the first value lands in the padding, the
    # second past the output, the last two on one pixel.
    indexes = numpy.array([[[[0, 8], [5, 3]]]])
    y = F.upsampling_2d(numpy.ones((1, 1, 2, 2)), indexes, 3, 2, 1, outsize=(3, 3))
    numpy.testing.assert_array_equal(y[0, 0].numpy(), [[0., 0., 0.], [0., 0., 0.], [0., 2., 0.]])
    with pytest.raises(ValueError, match='indexes of shape'):
        F.upsampling_2d(numpy.ones((1, 1, 2, 2)), indexes[..., 0], 3)
