import numpy
import pytest
import torch

import chainvision


def test_variable_is_a_leaf_tensor_sharing_numpy_memory():
    data = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    v = chainvision.Variable(data, name='x')
    assert type(v) is torch.Tensor
    assert v.requires_grad and v.is_leaf
    data[0, 0] = 10
    assert v[0, 0].item() == 10


def test_isinstance_variable_holds_for_every_tensor():
    assert isinstance(torch.zeros(1), chainvision.Variable)
    assert isinstance(torch.nn.Parameter(torch.zeros(1)), chainvision.Variable)
    assert not isinstance(numpy.zeros(1), chainvision.Variable)


def test_variable_of_a_tensor_detaches_it():
    x = torch.ones(2, requires_grad=True)
    v = chainvision.Variable(x * 2)
    assert v.is_leaf and v.grad_fn is None and v.requires_grad
    (v * 3).sum().backward()
    assert torch.equal(v.grad, torch.full((2,), 3.0)) and x.grad is None


def test_variable_grad_and_requires_grad():
    v = chainvision.Variable(numpy.ones(3, numpy.float32), grad=numpy.full(3, 2, numpy.float32),
                             requires_grad=False)
    assert not v.requires_grad
    assert torch.equal(v.grad, torch.full((3,), 2.0))
    assert not chainvision.Variable(numpy.arange(3)).requires_grad  # ints cannot require grad


def test_variable_none_is_rejected():
    with pytest.raises(ValueError, match='Parameter'):
        chainvision.Variable()


def test_as_variable_and_as_array():
    t = torch.ones(2, requires_grad=True)
    assert chainvision.as_variable(t) is t
    v = chainvision.as_variable(numpy.ones(2, numpy.float32))
    assert isinstance(v, torch.Tensor) and not v.requires_grad
    array = chainvision.as_array(t * 2)
    assert array.grad_fn is None and torch.equal(array, torch.full((2,), 2.0))
    data = numpy.ones(2)
    assert chainvision.as_array(data) is data


def test_variable_of_flipped_or_read_only_arrays_copies_them():
    data = numpy.arange(4, dtype=numpy.float32)
    assert chainvision.Variable(data[::-1]).tolist() == [3, 2, 1, 0]
    assert chainvision.Variable(numpy.broadcast_to(data, (2, 4))).shape == (2, 4)
