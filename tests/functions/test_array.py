"""Array functions: NumPy's semantics, Chainer's argument forms, gradients."""

import numpy
import pytest
import torch

import chainvision.functions as F
from chainvision.gradient_check import check_backward


def _as_numpy(ys):
    return [y.numpy() for y in ys]


def test_concat_joins_along_the_channel_axis_by_default():
    a, b = numpy.random.randn(2, 3, 4), numpy.random.randn(2, 1, 4)
    numpy.testing.assert_array_equal(F.concat([a, b]).numpy(), numpy.concatenate([a, b], 1))
    check_backward(lambda u, v: F.concat([u, v]), (a, b), numpy.random.randn(2, 4, 4))
    with pytest.raises(ValueError, match='differ outside axis 1'):
        F.concat([a, numpy.zeros((2, 1, 5))])


def test_split_axis_sections_and_indices_as_numpy():
    x = numpy.random.randn(2, 6)
    for spec in (3, [1, 4], [0, 6], []):
        parts = F.split_axis(x, spec, 1)
        assert isinstance(parts, tuple)
        for got, expected in zip(_as_numpy(parts), numpy.split(x, spec, 1)):
            numpy.testing.assert_array_equal(got, expected)
    assert F.split_axis(x, 1, 1, force_tuple=False).shape == (2, 6)
    check_backward(lambda v: F.split_axis(v, [2, 3], 1), x,
                   (numpy.random.randn(2, 2), numpy.random.randn(2, 1), numpy.random.randn(2, 3)))


def test_split_axis_rejects_unequal_sections_and_indices_past_the_end():
    with pytest.raises(ValueError, match='3 equal parts'):
        F.split_axis(numpy.zeros((2, 5)), 3, 1)
    with pytest.raises(ValueError, match='within the axis length 5'):
        F.split_axis(numpy.zeros((2, 5)), [2, 7], 1)


def test_reshape_flatten_transpose_swapaxes_expand_squeeze():
    x = numpy.random.randn(2, 3, 4)
    numpy.testing.assert_array_equal(F.reshape(x, (4, -1)).numpy(), x.reshape(4, -1))
    numpy.testing.assert_array_equal(F.flatten(x).numpy(), x.ravel())
    numpy.testing.assert_array_equal(F.transpose(x).numpy(), x.transpose())
    numpy.testing.assert_array_equal(F.transpose(x, (1, 0, 2)).numpy(), x.transpose(1, 0, 2))
    numpy.testing.assert_array_equal(F.swapaxes(x, 0, 2).numpy(), x.swapaxes(0, 2))
    assert F.expand_dims(x, 1).shape == (2, 1, 3, 4)
    assert F.squeeze(numpy.zeros((1, 3, 1))).shape == (3,)
    assert F.squeeze(numpy.zeros((1, 3, 1)), 2).shape == (1, 3)
    check_backward(lambda v: F.transpose(v, (2, 0, 1)), x, numpy.random.randn(4, 2, 3))
    check_backward(lambda v: F.reshape(v, (6, 4)), x, numpy.random.randn(6, 4))


def test_shape_functions_report_bad_arguments():
    with pytest.raises(ValueError, match='cannot reshape'):
        F.reshape(numpy.zeros(6), (4, 2))
    with pytest.raises(ValueError, match='not a permutation'):
        F.transpose(numpy.zeros((2, 3)), (0, 0))
    with pytest.raises(ValueError, match='not 1'):
        F.squeeze(numpy.zeros((1, 3)), 1)
    with pytest.raises(ValueError, match='cannot broadcast'):
        F.broadcast_to(numpy.zeros(3), (2, 4))


def test_flip_and_moveaxis():
    x = numpy.random.randn(2, 3, 4)
    numpy.testing.assert_array_equal(F.flip(x, 2).numpy(), numpy.flip(x, 2))
    numpy.testing.assert_array_equal(F.fliplr(x).numpy(), numpy.fliplr(x))
    numpy.testing.assert_array_equal(F.flipud(x).numpy(), numpy.flipud(x))
    numpy.testing.assert_array_equal(F.moveaxis(x, (0, 1), (2, 0)).numpy(),
                                     numpy.moveaxis(x, (0, 1), (2, 0)))
    check_backward(lambda v: F.flip(v, 1), x, numpy.random.randn(2, 3, 4))


def test_stack_separate_and_tile():
    a, b = numpy.random.randn(2, 3), numpy.random.randn(2, 3)
    numpy.testing.assert_array_equal(F.stack([a, b], 1).numpy(), numpy.stack([a, b], 1))
    parts = F.separate(a, 1)
    assert len(parts) == 3 and parts[0].shape == (2,)
    numpy.testing.assert_array_equal(parts[2].numpy(), a[:, 2])
    numpy.testing.assert_array_equal(F.tile(a, (2, 1, 3)).numpy(), numpy.tile(a, (2, 1, 3)))
    numpy.testing.assert_array_equal(F.tile(a, 2).numpy(), numpy.tile(a, 2))
    check_backward(lambda v: F.tile(v, (1, 2)), a, numpy.random.randn(2, 6))
    with pytest.raises(ValueError, match='one shape'):
        F.stack([a, a[:1]])


def test_broadcast_to_and_where():
    x = numpy.random.randn(1, 3)
    numpy.testing.assert_array_equal(F.broadcast_to(x, (2, 4, 3)).numpy(),
                                     numpy.broadcast_to(x, (2, 4, 3)))
    check_backward(lambda v: F.broadcast_to(v, (4, 3)), x, numpy.random.randn(4, 3))
    a, b = numpy.random.randn(2, 3), numpy.random.randn(2, 3)
    condition = a > 0
    numpy.testing.assert_array_equal(F.where(condition, a, b).numpy(), numpy.where(condition, a, b))
    check_backward(lambda u, v: F.where(condition, u, v), (a, b), numpy.random.randn(2, 3))
    with pytest.raises(ValueError, match='bool'):
        F.where(a, a, b)


def test_get_item_slices_and_advanced_indices():
    x = numpy.random.randn(2, 3, 4)
    for index in (1, (slice(None), 0), (Ellipsis, [0, 2], slice(1, 3)), (None, 1),
                  numpy.array([1, 0]), x > 0):
        numpy.testing.assert_array_equal(F.get_item(x, index).numpy(), x[index])
    check_backward(lambda v: F.get_item(v, (Ellipsis, [0, 0, 3])), x, numpy.random.randn(2, 3, 3))


def test_cast_accepts_numpy_and_torch_dtypes():
    x = numpy.random.randn(2, 2)
    assert F.cast(x, numpy.float32).dtype == torch.float32
    assert F.cast(x, 'float16').dtype == torch.float16
    assert F.cast(x, torch.int64).dtype == torch.int64
    t = torch.ones(2)
    assert F.cast(t, numpy.float32) is t
    check_backward(lambda v: F.cast(v, numpy.float64) * 2, x.astype(numpy.float64),
                   numpy.random.randn(2, 2))


def test_pad_accepts_numpys_pad_width_forms():
    x = numpy.random.randn(2, 3)
    for width in (1, (1, 2), ((0, 1), (2, 0)), [[1, 1]]):
        numpy.testing.assert_array_equal(F.pad(x, width, 'constant').numpy(),
                                         numpy.pad(x, width, 'constant'))
    numpy.testing.assert_array_equal(F.pad(x, 1, 'constant', constant_values=3.).numpy(),
                                     numpy.pad(x, 1, 'constant', constant_values=3.))
    check_backward(lambda v: F.pad(v, ((1, 0), (0, 2)), 'constant'), x, numpy.random.randn(3, 5))


@pytest.mark.parametrize('mode', ['edge', 'reflect', 'wrap'])
def test_pad_border_modes_on_spatial_axes(mode):
    x = numpy.random.randn(1, 2, 3, 4)
    width = ((0, 0), (0, 0), (2, 1), (1, 2))
    numpy.testing.assert_array_equal(F.pad(x, width, mode).numpy(), numpy.pad(x, width, mode))
    check_backward(lambda v: F.pad(v, width, mode), x, numpy.random.randn(1, 2, 6, 7))
    with pytest.raises(ValueError, match='axes 2 and later'):
        F.pad(x, 1, mode)


def test_pad_rejects_unknown_modes_and_negative_widths():
    with pytest.raises(ValueError, match='mode'):
        F.pad(numpy.zeros((1, 1, 2)), 1, 'mean')
    with pytest.raises(ValueError, match='negative'):
        F.pad(numpy.zeros(3), -1, 'constant')


IMAGE = numpy.array([[[[0., 1.], [2., 3.]]]], dtype=numpy.float32)


def test_resize_images_aligns_corners_by_default_as_chainer_v7():
    # Chainer 7.8.1: resize_images(IMAGE, (3, 3))
    expected = [[0., .5, 1.], [1., 1.5, 2.], [2., 2.5, 3.]]
    numpy.testing.assert_allclose(F.resize_images(IMAGE, (3, 3))[0, 0].numpy(), expected)


def test_resize_images_without_aligned_corners_reference():
    # Chainer 7.8.1: resize_images(IMAGE, (3, 4), align_corners=False)
    expected = [[0., .25, .75, 1.], [1., 1.25, 1.75, 2.], [2., 2.25, 2.75, 3.]]
    y = F.resize_images(IMAGE, (3, 4), align_corners=False)
    numpy.testing.assert_allclose(y[0, 0].numpy(), expected)


def test_resize_images_nearest_picks_floor_of_i_times_scale():
    x = numpy.arange(15.).reshape(1, 1, 3, 5)
    y = F.resize_images(x, (2, 3), mode='nearest')
    rows, cols = numpy.floor(numpy.arange(2) * 3 / 2).astype(int), numpy.floor(
        numpy.arange(3) * 5 / 3).astype(int)
    numpy.testing.assert_array_equal(y[0, 0].numpy(), x[0, 0][rows][:, cols])


def test_resize_images_gradient_and_errors():
    check_backward(lambda v: F.resize_images(v, (5, 3)), numpy.random.randn(1, 2, 3, 4),
                   numpy.random.randn(1, 2, 5, 3))
    with pytest.raises(ValueError, match='mode'):
        F.resize_images(IMAGE, (3, 3), mode='bicubic')
    with pytest.raises(ValueError, match=r'\(N, C, H, W\)'):
        F.resize_images(IMAGE[0], (3, 3))


@pytest.mark.parametrize('dst', [-1, '@numpy', 'cpu'])
def test_copy_makes_a_new_tensor_and_passes_the_gradient_back(dst):
    x = torch.arange(3, dtype=torch.float32, requires_grad=True)
    y = F.copy(x, dst)
    assert y.device.type == 'cpu' and y.data_ptr() != x.data_ptr()
    F.sum(y * y).backward()
    numpy.testing.assert_array_equal(x.grad.numpy(), [0, 2, 4])  # Chainer 7.8.1: [0, 2, 4]


def test_copy_accepts_chainers_dummy_device_for_the_cpu():
    from chainvision.backends import cuda
    assert F.copy(numpy.ones(2, numpy.float32), cuda.DummyDevice).device.type == 'cpu'


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs a CUDA device')
def test_copy_to_a_gpu_and_back():
    x = torch.ones(2, requires_grad=True)
    y = F.copy(x, '@cupy:0')
    assert y.is_cuda
    F.sum(F.copy(y, -1) * 3).backward()
    assert x.grad.device.type == 'cpu' and x.grad.tolist() == [3, 3]


def test_reshape_to_the_same_shape_returns_the_input_itself():
    x = torch.zeros(2, 3, requires_grad=True)
    assert F.reshape(x, (2, 3)) is x
    assert F.reshape(x, (3, 2)) is not x


def test_repeat_takes_bools_and_rejects_negative_counts():
    x = numpy.array([1.0, 2.0])
    numpy.testing.assert_array_equal(F.repeat(x, True).numpy(), [1.0, 2.0])
    numpy.testing.assert_array_equal(F.repeat(x, (2,)).numpy(), [1.0, 1.0, 2.0, 2.0])
    with pytest.raises(ValueError, match='must not be negative'):
        F.repeat(x, -1)


def test_get_item_with_an_empty_index_selects_nothing_as_chainer():
    x = numpy.arange(24.0).reshape(4, 3, 2)
    for index in ([], ([],), numpy.array([], dtype=bool)):
        assert F.get_item(x, index).shape == (0, 3, 2)
    assert F.get_item(x, ([[]],)).shape == (1, 0, 3, 2)
