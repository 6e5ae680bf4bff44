import numpy
import pytest
import torch

import chainvision
import chainvision.functions as F
from chainvision.gradient_check import check_backward


class Square(chainvision.FunctionNode):
    """x ** 2, with NumPy forward and a differentiable backward."""

    def forward(self, inputs):
        x, = inputs
        self.forward_saw = type(x)
        self.retain_inputs((0,))
        return x * x,

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        gy, = grad_outputs
        return 2 * x * gy,


class ExpCpu(chainvision.FunctionNode):
    """exp via forward_cpu; backward uses the retained output."""

    def forward_cpu(self, inputs):
        self.retain_outputs((0,))
        return numpy.exp(inputs[0]),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return F.identity(y) * grad_outputs[0],


class MulAdd(chainvision.FunctionNode):
    """(x * w + b, x - b): two inputs' gradients returned for targets only."""

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, w, b = inputs
        return x * w + b, x - b

    def backward(self, indexes, grad_outputs):
        x, w = self.get_retained_inputs()
        gy, gz = grad_outputs
        gy = torch.zeros_like(x) if gy is None else gy
        gz = torch.zeros_like(x) if gz is None else gz
        table = {0: gy * w + gz, 1: gy * x, 2: gy - gz}
        return tuple(table[i] for i in indexes)


def _double(shape):
    return torch.rand(*shape, dtype=torch.float64, requires_grad=True)


def test_forward_sees_numpy_on_cpu_and_apply_returns_tensors():
    node = Square()
    x = _double((3,))
    y, = node.apply((x,))
    assert node.forward_saw is numpy.ndarray
    assert type(y) is torch.Tensor and y.requires_grad
    assert torch.allclose(y, x * x)


def test_square_gradient_and_double_backprop_are_right():
    x = _double((2, 3))
    check_backward(lambda a: Square().apply((a,))[0], x.detach(), _double((2, 3)).detach())
    assert torch.autograd.gradgradcheck(lambda a: Square().apply((a,))[0], (x,))
    gx, = chainvision.grad([Square().apply((x,))[0].sum()], [x], enable_double_backprop=True)
    ggx, = chainvision.grad([gx.sum()], [x])
    assert torch.allclose(ggx, torch.full_like(x, 2.0))


def test_retained_outputs_and_forward_cpu_dispatch():
    x = _double((4,))
    check_backward(lambda a: ExpCpu().apply((a,))[0], x.detach(), numpy.ones(4))
    assert torch.autograd.gradgradcheck(lambda a: ExpCpu().apply((a,))[0], (x,))


def test_backward_gets_only_inputs_that_need_grad_and_none_for_unused_outputs():
    x, w = _double((3,)), _double((3,))
    b = torch.rand(3, dtype=torch.float64)
    y, z = MulAdd().apply((x, w, b))
    y.sum().backward()
    assert torch.allclose(x.grad, w) and torch.allclose(w.grad, x)
    assert b.grad is None
    check_backward(lambda a, c, d: MulAdd().apply((a, c, d)),
                   tuple(_double((3,)).detach() for _ in range(3)),
                   (numpy.ones(3), numpy.full(3, 0.5)))


def test_integer_outputs_are_not_differentiable():
    class ArgmaxAndDouble(chainvision.FunctionNode):
        def forward(self, inputs):
            return inputs[0].argmax(keepdims=True), inputs[0] * 2

        def backward(self, indexes, grad_outputs):
            return 2 * grad_outputs[1],

    x = _double((3,))
    index, y = ArgmaxAndDouble().apply((x,))
    assert index.dtype == torch.int64 and not index.requires_grad
    y.sum().backward()
    assert torch.equal(x.grad, torch.full_like(x, 2.0))


def test_wrong_number_of_gradients_is_reported():
    class Bad(chainvision.FunctionNode):
        def forward(self, inputs):
            return inputs[0] + inputs[1],

        def backward(self, indexes, grad_outputs):
            return grad_outputs[0], grad_outputs[0], grad_outputs[0]

    y, = Bad().apply((_double((2,)), _double((2,))))
    with pytest.raises(ValueError, match='returned 3 gradients'):
        y.sum().backward()


def test_forward_must_return_a_tuple():
    class NoTuple(chainvision.FunctionNode):
        def forward(self, inputs):
            return inputs[0]

    with pytest.raises(TypeError, match='return y,'):
        NoTuple().apply((numpy.ones(2),))


def test_apply_needs_a_tuple_of_inputs():
    with pytest.raises(TypeError, match=r'write Square\(\)\.apply\(\(x,\)\)'):
        Square().apply(torch.ones(3))


def test_missing_forward_and_retained_outside_backward():
    with pytest.raises(NotImplementedError, match='forward_cpu'):
        chainvision.FunctionNode().apply((numpy.ones(2),))
    with pytest.raises(RuntimeError, match='only be called in backward'):
        Square().get_retained_inputs()


def test_grad_defaults_inputs_and_unreachable():
    x, w = _double((3,)), _double((3,))
    y = (x * w).sum()
    gx, gw, gc = chainvision.grad([y], [x, w, torch.ones(3)])
    assert torch.allclose(gx, w) and torch.allclose(gw, x) and gc is None
    # The graph survives, as in Chainer.
    gx2, = chainvision.grad([y], [x], grad_outputs=[torch.tensor(3.0, dtype=torch.float64)],
                            grad_inputs=[torch.ones(3, dtype=torch.float64)], set_grad=True)
    assert torch.allclose(gx2, 3 * w + 1) and x.grad is gx2
    gx3, = chainvision.grad([y], [x], loss_scale=4.0)
    assert torch.allclose(gx3, 4 * w) and not gx3.requires_grad


def test_grad_argument_errors():
    x = _double((2,))
    with pytest.raises(TypeError, match='outputs must be a tuple or a list'):
        chainvision.grad(x.sum(), [x])
    with pytest.raises(ValueError, match='one entry per output'):
        chainvision.grad([x.sum()], [x], grad_outputs=[None, None])
    with pytest.raises(ValueError, match='retain_grad'):
        chainvision.grad([x.sum()], [x], retain_grad=True)


@pytest.mark.gpu
def test_forward_sees_tensors_on_cuda():
    node = Square()
    x = torch.rand(3, device='cuda', requires_grad=True)
    y, = node.apply((x,))
    y.sum().backward()
    assert node.forward_saw is torch.Tensor and y.device == x.device
    assert torch.allclose(x.grad, 2 * x)


def test_forward_may_return_flipped_numpy_views():
    class Flip(chainvision.FunctionNode):
        def forward(self, inputs):
            return inputs[0][::-1],

        def backward(self, indexes, grad_outputs):
            return grad_outputs[0].flip(0),

    x = torch.arange(3.0, requires_grad=True)
    y, = Flip().apply((x,))
    assert y.tolist() == [2.0, 1.0, 0.0]
    (y * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert x.grad.tolist() == [3.0, 2.0, 1.0]


def test_backward_from_several_outputs_with_given_gradients():
    # Chainer 7.8.1: x = [1, 2], y = sum(x * x) with gy 2, z = 3x with gz [1, 1] -> [7, 11].
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y, z = F.sum(x * x), x * 3
    chainvision.backward([y, z], [numpy.array(2.0, numpy.float32), numpy.ones(2, numpy.float32)])
    assert x.grad.tolist() == [7, 11]


def test_backward_uses_the_outputs_grad_and_skips_outputs_without_one():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = F.sum(x * x)
    chainvision.backward([y])  # Chainer: no gradient given, nothing happens
    assert x.grad is None
    z = x * 3
    z.grad = torch.tensor([1.0, 0.0])
    chainvision.backward([z])
    assert x.grad.tolist() == [3, 0]


@pytest.mark.filterwarnings('ignore:Using backward\\(\\) with create_graph=True')
def test_backward_can_build_a_graph_of_the_gradients():
    x = torch.tensor([3.0], requires_grad=True)
    y = x ** 3
    chainvision.backward([y], [torch.ones(1)], enable_double_backprop=True)
    (second,) = torch.autograd.grad(x.grad.sum(), x)
    assert x.grad.item() == 27 and second.item() == 18
