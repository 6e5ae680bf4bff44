"""gradient_check: numerical gradients and check_backward's verdicts."""

import numpy
import pytest
import torch

import chainvision.functions as F
from chainvision import gradient_check


def square_with_gradient(gradient):
    """``x ** 2`` as an autograd function whose backward is ``gradient(x, gy)``."""
    class Square(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, gy):
            x, = ctx.saved_tensors
            return gradient(x, gy)

    return Square.apply


# Wrong by a factor 2.
half_gradient_square = square_with_gradient(lambda x, gy: gy * x)
# Right, but not differentiable in x itself (second order wrong).
first_order_only_square = square_with_gradient(lambda x, gy: gy * 2 * x.detach())


def test_numerical_grad_of_a_cube_and_inputs_are_restored():
    x = numpy.random.randn(3, 2)
    original = x.copy()
    gy = numpy.random.randn(3, 2)
    gx, = gradient_check.numerical_grad(lambda: (x ** 3,), (x,), (gy,))
    numpy.testing.assert_allclose(gx.numpy(), 3 * original ** 2 * gy, rtol=1e-5)
    numpy.testing.assert_array_equal(x, original)


def test_numerical_grad_of_two_tensor_inputs_and_outputs():
    a, b = torch.randn(4, dtype=torch.float64), torch.randn(4, dtype=torch.float64)
    ga, gb = gradient_check.numerical_grad(lambda: (a * b, a + b), (a, b),
                                           (torch.ones(4), None), eps=1e-4)
    torch.testing.assert_close(ga, b)
    torch.testing.assert_close(gb, a)


def test_numerical_grad_rejects_integer_inputs():
    with pytest.raises(ValueError, match='float'):
        gradient_check.numerical_grad(lambda: (1,), (numpy.arange(3),), (None,))


def test_check_backward_passes_for_correct_gradients_of_several_inputs():
    x, W, b = numpy.random.randn(2, 3), numpy.random.randn(4, 3), numpy.random.randn(4)
    gradient_check.check_backward(F.linear, (x, W, b), numpy.random.randn(2, 4))


def test_check_backward_raises_a_readable_assertion_on_a_wrong_gradient():
    with pytest.raises(AssertionError, match='check_backward failed .*autograd but'):
        gradient_check.check_backward(half_gradient_square, numpy.random.randn(3, 2) + 3,
                                      numpy.ones((3, 2)))


def test_check_backward_checks_parameters_too():
    W = torch.nn.Parameter(torch.randn(3, 3, dtype=torch.float64))
    original = W.detach().clone()
    x = numpy.random.randn(2, 3)
    gradient_check.check_backward(lambda v: F.matmul(v, W), x, numpy.random.randn(2, 3),
                                  params=[W])
    assert W.grad is None
    # The wrong gradient reaches only the parameter; the input's is right.
    with pytest.raises(AssertionError):
        gradient_check.check_backward(lambda v: v * half_gradient_square(W).sum(), x,
                                      numpy.random.randn(2, 3), params=[W])
    assert torch.equal(W.data, original)


def test_check_backward_scalar_output_needs_y_grad_none():
    x = numpy.random.randn(3)
    gradient_check.check_backward(lambda v: (v ** 2).sum(), x, None)
    with pytest.raises(ValueError, match='one scalar'):
        gradient_check.check_backward(lambda v: v ** 2, x, None)


def test_check_backward_skips_integer_inputs_and_honours_no_grads():
    x, t = numpy.random.randn(4, 3), numpy.array([0, 2, 1, -1])
    gradient_check.check_backward(F.softmax_cross_entropy, (x, t), None)
    # A wrong gradient for the second input goes unnoticed when it is left out.
    gradient_check.check_backward(lambda a, b: a + half_gradient_square(b),
                                  (x, x + 3), numpy.ones((4, 3)), no_grads=[False, True])
    with pytest.raises(ValueError, match='no_grads'):
        gradient_check.check_backward(F.softmax_cross_entropy, (x, t), None,
                                      no_grads=[False, False])


def test_check_backward_with_float32_inputs_computes_numerics_in_dtype():
    x = numpy.random.randn(3, 4).astype(numpy.float32)
    gy = numpy.random.randn(3, 4).astype(numpy.float32)
    gradient_check.check_backward(F.tanh, x, gy, dtype=numpy.float64, atol=1e-4, rtol=1e-3)


def test_check_backward_detects_a_kink():
    with pytest.raises(gradient_check.NondifferentiableError, match='not differentiable'):
        gradient_check.check_backward(F.relu, numpy.array([0., 1.]), numpy.ones(2),
                                      detect_nondifferentiable=True)
    gradient_check.check_backward(F.relu, numpy.array([-1., 1.]), numpy.ones(2),
                                  detect_nondifferentiable=True)


def test_check_backward_casts_only_float_inputs_to_dtype():
    x = numpy.random.randn(4, 3).astype(numpy.float32)
    rows = numpy.array([3, 0, 0], numpy.int64)  # indices: a float64 copy could not index
    gradient_check.check_backward(lambda a, i: a[i], (x, rows), numpy.ones((3, 3), numpy.float32),
                                  dtype=numpy.float64, atol=1e-4, rtol=1e-3)


def test_check_double_backward_passes_for_a_cube_and_a_two_input_product():
    x, y = numpy.random.randn(3, 2), numpy.random.randn(3, 2)
    gy, ggx, ggy = (numpy.random.randn(3, 2) for _ in range(3))
    gradient_check.check_double_backward(lambda v: v ** 3, x, gy, ggx)
    gradient_check.check_double_backward(lambda a, b: a * b * a, (x, y), gy, (ggx, ggy))


def test_check_double_backward_catches_a_gradient_that_is_not_differentiable():
    x, gy, ggx = (numpy.random.randn(3, 2) + 2 for _ in range(3))
    gradient_check.check_backward(first_order_only_square, x, gy)
    with pytest.raises(AssertionError, match='second-order gradient is wrong'):
        gradient_check.check_double_backward(first_order_only_square, x, gy, ggx)


def test_check_double_backward_with_integer_inputs_and_parameters():
    x = numpy.random.randn(4, 3)
    t = numpy.array([0, 2, 1, 1])
    W = torch.nn.Parameter(torch.randn(3, 3, dtype=torch.float64))
    gy = numpy.array(1.0)
    gradient_check.check_double_backward(
        lambda a, labels: F.softmax_cross_entropy(a @ W, labels), (x, t), gy,
        numpy.random.randn(4, 3), params=(W,), params_grad_grad=(numpy.random.randn(3, 3),))
