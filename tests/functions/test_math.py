"""Math functions: reductions, matmul and elementwise maths."""

import numpy
import pytest
import torch

import chainvision.functions as F
from chainvision.gradient_check import check_backward


@pytest.mark.parametrize('axis,keepdims', [(None, False), (1, False), ((0, 2), True), (-1, True)])
def test_sum_mean_max_min_reduce_as_numpy(axis, keepdims):
    x = numpy.random.randn(2, 3, 4)
    for function, reference in ((F.sum, numpy.sum), (F.mean, numpy.mean), (F.average, numpy.mean),
                                (F.max, numpy.max), (F.min, numpy.min)):
        y = function(x, axis=axis, keepdims=keepdims)
        numpy.testing.assert_allclose(y.numpy(), reference(x, axis=axis, keepdims=keepdims),
                                      rtol=1e-12)
        check_backward(lambda v: function(v, axis=axis, keepdims=keepdims), x,
                       numpy.random.randn(*y.shape) if y.ndim else None)


def test_max_splits_the_gradient_of_ties_evenly():
    x = torch.tensor([1., 3., 3.], requires_grad=True)
    F.max(x).backward()
    assert x.grad.tolist() == [0., .5, .5]


def test_average_with_weights():
    x = numpy.random.randn(3, 4)
    w = numpy.random.rand(4)
    numpy.testing.assert_allclose(F.average(x, 1, weights=w).numpy(),
                                  numpy.average(x, 1, weights=w), rtol=1e-12)
    weights = numpy.random.rand(3, 4)
    assert F.average(x, weights=weights).item() == pytest.approx(
        numpy.average(x, weights=weights), rel=1e-12)
    check_backward(lambda u, v: F.average(u, 1, weights=v), (x, w), numpy.random.randn(3))
    with pytest.raises(ValueError, match=r'shape \(4,\)'):
        F.average(x, 1, weights=numpy.ones(3))
    with pytest.raises(ValueError, match='tuple axis'):
        F.average(x, (0, 1), weights=weights)


def test_argmax_and_argmin_are_int32_like_chainer():
    x = numpy.random.randn(3, 5)
    assert F.argmax(x, 1).dtype == torch.int32
    numpy.testing.assert_array_equal(F.argmax(x, 1).numpy(), x.argmax(1))
    numpy.testing.assert_array_equal(F.argmin(x, 0).numpy(), x.argmin(0))
    assert F.argmax(x).item() == x.argmax()


@pytest.mark.parametrize('transa,transb', [(False, False), (True, False), (False, True),
                                           (True, True)])
def test_matmul_transposes_the_last_two_axes(transa, transb):
    a, b = numpy.random.randn(2, 3, 4), numpy.random.randn(2, 4, 3)
    a_ = a.swapaxes(-1, -2) if transa else a
    b_ = b.swapaxes(-1, -2) if transb else b
    if a_.shape[-1] != b_.shape[-2]:
        with pytest.raises(ValueError, match='do not align'):
            F.matmul(a, b, transa, transb)
        return
    y = F.matmul(a, b, transa, transb)
    numpy.testing.assert_allclose(y.numpy(), a_ @ b_, rtol=1e-12)
    check_backward(lambda u, v: F.matmul(u, v, transa, transb), (a, b),
                   numpy.random.randn(*y.shape))


ELEMENTWISE = [
    (F.absolute, numpy.abs), (F.exp, numpy.exp), (F.log, numpy.log), (F.sqrt, numpy.sqrt),
    (F.rsqrt, lambda x: 1 / numpy.sqrt(x)), (F.square, numpy.square),
    (F.identity, lambda x: x),
]


@pytest.mark.parametrize('function,reference', ELEMENTWISE,
                         ids=lambda f: getattr(f, '__name__', ''))
def test_elementwise_math(function, reference):
    x = numpy.random.uniform(0.5, 2.0, (3, 4)) * numpy.array([1, -1, 1, 1])
    if function in (F.log, F.sqrt, F.rsqrt):
        x = numpy.abs(x)
    numpy.testing.assert_allclose(function(x).numpy(), reference(x), rtol=1e-12)
    check_backward(function, x, numpy.random.randn(3, 4))


def test_identity_of_several_inputs_is_a_tuple():
    a, b = numpy.zeros(2), numpy.ones(3)
    y = F.identity(a, b)
    assert isinstance(y, tuple) and y[1].shape == (3,)


def test_clip_bounds_and_gradient():
    x = numpy.array([-2., -.3, .2, 1.5])
    numpy.testing.assert_array_equal(F.clip(x, -.5, .5).numpy(), [-.5, -.3, .2, .5])
    numpy.testing.assert_array_equal(F.clip(x, None, 0.).numpy(), [-2., -.3, 0., 0.])
    check_backward(lambda v: F.clip(v, -.5, .5), x, numpy.random.randn(4))
    with pytest.raises(ValueError, match='both are None'):
        F.clip(x, None, None)
    with pytest.raises(ValueError, match='larger than x_max'):
        F.clip(x, 1., 0.)


def test_bias_and_scale_line_up_with_axis():
    x = numpy.random.randn(2, 3, 4)
    y = numpy.random.randn(3, 4)
    numpy.testing.assert_allclose(F.bias(x, y).numpy(), x + y[None])
    numpy.testing.assert_allclose(F.scale(x, y[0], axis=2).numpy(), x * y[0])
    check_backward(F.bias, (x, y), numpy.random.randn(2, 3, 4))
    check_backward(lambda u, v: F.scale(u, v, axis=2), (x, y[0]), numpy.random.randn(2, 3, 4))
    with pytest.raises(ValueError, match=r'bias: y of shape \(4,\)'):
        F.bias(x, y[0])


def test_maximum_minimum_logsumexp_prod():
    a, b = numpy.random.randn(3, 4), numpy.random.randn(3, 4)
    numpy.testing.assert_array_equal(F.maximum(a, b).numpy(), numpy.maximum(a, b))
    numpy.testing.assert_array_equal(F.minimum(a, b).numpy(), numpy.minimum(a, b))
    check_backward(F.maximum, (a, b), numpy.random.randn(3, 4))
    check_backward(F.minimum, (a, b), numpy.random.randn(3, 4))
    x = numpy.random.randn(2, 3, 4)
    numpy.testing.assert_allclose(F.logsumexp(x, (0, 2)).numpy(),
                                  numpy.log(numpy.exp(x).sum(axis=(0, 2))), rtol=1e-12)
    assert F.logsumexp(x).item() == pytest.approx(numpy.log(numpy.exp(x).sum()))
    numpy.testing.assert_allclose(F.prod(x, (0, 2), keepdims=True).numpy(),
                                  x.prod(axis=(0, 2), keepdims=True), rtol=1e-12)
    assert F.prod(x).item() == pytest.approx(x.prod())
    check_backward(lambda v: F.logsumexp(v, 1), x, numpy.random.randn(2, 4))
    check_backward(lambda v: F.prod(v, (0, 2)), x, numpy.random.randn(3))


def test_matmul_and_tensordot_of_mixed_dtypes_give_the_promoted_one():
    # Chainer 7.8.1: float16 @ float32 is float32.
    a, b = numpy.ones((2, 3), numpy.float16), numpy.ones((3, 4), numpy.float32)
    assert F.matmul(a, b).dtype == torch.float32
    assert F.tensordot(b.T, a.T, axes=1).dtype == torch.float32
    numpy.testing.assert_array_equal(F.matmul(a, b).numpy(), numpy.full((2, 4), 3.0))
