import numpy
import pytest
import torch

import chainvision
from chainvision.gradient_check import check_backward


class Mul(chainvision.Function):
    def forward(self, inputs):
        x, y = inputs
        self.seen = type(x)
        return x * y,

    def backward(self, inputs, grad_outputs):
        x, y = inputs
        gz, = grad_outputs
        return gz * y, gz * x


class ExpKeepingOutput(chainvision.Function):
    """Retains only its output; the input reaches backward as None."""

    def forward_cpu(self, inputs):
        self.retain_inputs(())
        self.retain_outputs((0,))
        return numpy.exp(inputs[0]),

    def backward_cpu(self, inputs, grad_outputs):
        assert inputs == (None,)
        y, = self.output_data
        return y * grad_outputs[0],


def test_call_returns_a_tensor_and_backward_on_numpy_arrays():
    x = torch.rand(3, dtype=torch.float64, requires_grad=True)
    y = torch.rand(3, dtype=torch.float64, requires_grad=True)
    f = Mul()
    z = f(x, y)
    assert f.seen is numpy.ndarray and type(z) is torch.Tensor
    assert torch.allclose(z, x * y)
    check_backward(lambda a, b: Mul()(a, b), (x.detach(), y.detach()), numpy.ones(3))


def test_retained_outputs_reach_output_data():
    x = torch.rand(4, dtype=torch.float64, requires_grad=True)
    check_backward(lambda a: ExpKeepingOutput()(a), x.detach(), numpy.linspace(-1, 1, 4))


def test_an_instance_can_be_called_twice():
    f = Mul()
    x = torch.ones(2, requires_grad=True)
    a = f(x, numpy.full(2, 2, numpy.float32))
    b = f(x, numpy.full(2, 5, numpy.float32))
    (a + b).sum().backward()
    assert torch.equal(x.grad, torch.full((2,), 7.0))


def test_default_backward_gives_no_gradient_and_several_outputs_give_a_tuple():
    class Split(chainvision.Function):
        def forward(self, inputs):
            return inputs[0][:1], inputs[0][1:]

    x = torch.ones(3, requires_grad=True)
    first, rest = Split()(x)
    assert first.shape == (1,) and rest.shape == (2,)
    (first.sum() + rest.sum()).backward()
    assert x.grad is None


def test_wrong_number_of_gradients_is_reported():
    class Bad(chainvision.Function):
        def forward(self, inputs):
            return inputs[0] * 2,

        def backward(self, inputs, grad_outputs):
            return grad_outputs[0], grad_outputs[0]

    y = Bad()(torch.ones(2, requires_grad=True))
    with pytest.raises(ValueError, match='one gradient per input'):
        y.sum().backward()


def test_output_data_outside_backward_is_an_error():
    with pytest.raises(RuntimeError, match='only available in backward'):
        Mul().output_data
