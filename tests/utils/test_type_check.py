"""type_check.InvalidType: Chainer's error for ill-fitting inputs, a ValueError."""

import pickle

import numpy
import pytest

import chainvision.functions as F
from chainvision.utils import type_check


def test_invalid_type_is_a_value_error_with_expect_and_actual():
    error = type_check.InvalidType('x.ndim == 4', 'x.ndim = 3')
    assert isinstance(error, ValueError)
    assert str(error) == 'Expect: x.ndim == 4\nActual: x.ndim = 3'
    copy = pickle.loads(pickle.dumps(type_check.InvalidType('a', 'b', 'custom message')))
    assert (copy.expect, copy.actual, str(copy)) == ('a', 'b', 'custom message')


@pytest.mark.parametrize('call', [
    lambda: F.linear(numpy.zeros((2, 3)), numpy.zeros((4, 5))),
    lambda: F.convolution_2d(numpy.zeros((1, 3, 4, 4)), numpy.zeros((2, 4, 3, 3))),
    lambda: F.convolution_2d(numpy.zeros((3, 4, 4)), numpy.zeros((2, 3, 3, 3))),
    lambda: F.mean_squared_error(numpy.zeros(3), numpy.zeros(4)),
    lambda: F.maxout(numpy.zeros((2, 3, 4)), 5),
])
def test_functions_raise_invalid_type_for_inputs_that_do_not_fit(call):
    with pytest.raises(type_check.InvalidType):
        call()


def test_a_bad_argument_is_a_plain_value_error():
    with pytest.raises(ValueError, match='pool_size must be a positive integer') as error:
        F.maxout(numpy.zeros((2, 3, 4)), -1)
    assert not isinstance(error.value, type_check.InvalidType)
