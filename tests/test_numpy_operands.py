"""NumPy arrays as operands of tensors (chainvision._numpy_operands)."""

import numpy
import pytest
import torch

import chainvision  # noqa: F401  (installs the protocol)


def test_a_numpy_operand_keeps_the_graph_and_the_tensors_dtype():
    # Chainer's DCGAN: h + sigma * xp.random.randn(*h.shape) on a variable.
    h = torch.ones(2, 3, requires_grad=True)
    noise = numpy.full((2, 3), 0.5)
    y = h + 0.2 * noise
    assert y.dtype == torch.float32 and y.requires_grad
    torch.testing.assert_close(y, torch.full((2, 3), 1.1))
    (numpy.full((2, 3), 2.0) * h - numpy.float64(1)).sum().backward()
    torch.testing.assert_close(h.grad, torch.full((2, 3), 2.0))


def test_reflected_operations_keep_the_operand_order():
    x = torch.tensor([1.0, 4.0], requires_grad=True)
    torch.testing.assert_close(numpy.array([8.0, 8.0]) / x, torch.tensor([8.0, 2.0]))
    torch.testing.assert_close(numpy.array([8.0, 8.0]) - x, torch.tensor([7.0, 4.0]))
    assert (x > numpy.array([2.0, 2.0])).tolist() == [False, True]


def test_numpy_elementwise_functions_of_a_tensor_are_differentiable():
    x = torch.tensor([0.0, 1.0], requires_grad=True)
    numpy.exp(x).sum().backward()
    torch.testing.assert_close(x.grad, torch.exp(x.detach()))


def test_other_ufuncs_compute_in_numpy_and_refuse_the_graph():
    values = numpy.log1p(torch.tensor([0.0, 1.0]))
    assert isinstance(values, torch.Tensor)
    torch.testing.assert_close(values, torch.log1p(torch.tensor([0.0, 1.0])))
    assert numpy.add.reduce(torch.ones(3)) == 3.0
    with pytest.raises(TypeError, match='requires grad'):
        numpy.log1p(torch.ones(2, requires_grad=True))


def test_integer_tensors_keep_numpys_promotion():
    labels = torch.tensor([0, 1, 2])
    assert (labels == numpy.array([0, 5, 2])).tolist() == [True, False, True]
    assert (labels + numpy.float32(0.5)).dtype == torch.float32


def test_numpy_reductions_of_a_tensor_compute_in_numpy():
    # Chainer's tests: numpy.sum(-t * F.log_softmax(x).array, axis=1).
    values = torch.tensor([[1.0, 2.0, 4.0], [0.5, 0.25, 0.0]])
    summed = numpy.sum(values, axis=1)
    assert isinstance(summed, numpy.ndarray)
    numpy.testing.assert_array_equal(summed, [7.0, 0.75])
    assert numpy.mean(values) == pytest.approx(7.75 / 6)
    numpy.testing.assert_array_equal(numpy.max(values, axis=0), [1.0, 2.0, 4.0])
    numpy.testing.assert_array_equal(numpy.min(values, axis=1, keepdims=True), [[1.0], [0.0]])
    assert numpy.prod(values[0]) == 8.0
    assert not numpy.all(values > 0) and numpy.any(values == 0)
    assert numpy.var(values[0]) == pytest.approx(numpy.var([1.0, 2.0, 4.0]))


def test_numpy_repeat_of_a_tensor_repeats_elements_not_the_tensor():
    # Tensor.repeat tiles: NumPy's own repeat gives [1, 1, 2, 2].
    numpy.testing.assert_array_equal(numpy.repeat(torch.tensor([1, 2]), 2), [1, 1, 2, 2])


def test_numpy_reductions_refuse_the_graph():
    with pytest.raises(TypeError, match='numpy.sum cannot differentiate.*tensor.array'):
        numpy.sum(torch.ones(2, requires_grad=True))
