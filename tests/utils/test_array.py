import numpy
import pytest
import torch

from chainvision import utils


def test_force_array_turns_numpy_scalars_into_0_dim_arrays():
    x = numpy.float32(2.5)
    y = utils.force_array(x)
    assert isinstance(y, numpy.ndarray) and y.shape == () and y.dtype == numpy.float32
    assert utils.force_array(1, numpy.float16).dtype == numpy.float16
    a = numpy.ones(2, numpy.float32)
    assert utils.force_array(a) is a and utils.force_array(a, numpy.float32) is a
    assert utils.force_array(torch.ones(2), numpy.float64).dtype == torch.float64


def test_force_type():
    assert type(utils.force_type(numpy.float32, 3)) is numpy.float32
    assert utils.force_type(numpy.int32, numpy.ones(2)).dtype == numpy.int32
    assert utils.force_type(numpy.float16, torch.ones(2)).dtype == torch.float16


def test_size_of_shape():
    assert utils.size_of_shape((2, 3, 4)) == 24
    assert utils.size_of_shape(()) == 1


@pytest.mark.parametrize('make', [numpy.asarray, torch.as_tensor])
def test_sum_to_undoes_broadcasting(make):
    x = make(numpy.arange(24, dtype=numpy.float32).reshape(2, 3, 4))
    y = utils.sum_to(x, (3, 1))
    assert type(y) is type(x)
    numpy.testing.assert_array_equal(numpy.asarray(y),
                                     numpy.arange(24).reshape(2, 3, 4).sum((0, 2))[:, None])
    assert utils.sum_to(x, (2, 3, 4)) is x
    with pytest.raises(ValueError, match='larger shape'):
        utils.sum_to(x, (1, 2, 3, 4))


def test_conv_outsize_helpers_round_trip():
    assert utils.get_conv_outsize(7, 3, 2, 1) == 4
    assert utils.get_conv_outsize(6, 3, 2, 0, cover_all=True) == 3
    assert utils.get_deconv_outsize(4, 3, 2, 1) == 7
