import numpy
import torch

import chainvision.links as L


def test_array_reads_the_data_without_the_graph():
    x = torch.ones(3, requires_grad=True)
    y = x * 2
    assert not y.array.requires_grad
    assert torch.equal(y.array, torch.full((3,), 2.0))


def test_writing_through_array_changes_a_parameter_in_place():
    link = L.Linear(2, 3)
    link.W.array[...] = 0.5
    assert torch.all(link.W == 0.5)
    link.b.array = numpy.arange(3, dtype=numpy.float32)
    assert link.b.tolist() == [0.0, 1.0, 2.0] and link.b.requires_grad


def test_writing_a_numpy_array_into_elements_casts_it():
    # Chainer's tests: W[...] = numpy.random.uniform(-1, 1, W.shape) (float64 into float32).
    link = L.Linear(2, 3)
    link.W.array[...] = numpy.arange(6.0).reshape(3, 2)
    assert link.W.dtype == torch.float32 and link.W.tolist() == [[0, 1], [2, 3], [4, 5]]
    link.b.array[1:] = numpy.array([7, 8])
    assert link.b.tolist()[1:] == [7.0, 8.0]


def test_astype_casts_a_copy_as_numpy_does():
    # Chainer's BatchNormalization tests: link.avg_mean = link.avg_mean.astype(x.dtype).
    mean = torch.tensor([0.5, 1.5], dtype=torch.float16)
    as_double = mean.astype(numpy.float64)
    assert as_double.dtype == torch.float64 and as_double.tolist() == [0.5, 1.5]
    assert mean.astype('f').dtype == torch.float32
    same = mean.astype(torch.float16)
    same[0] = 9.0
    assert mean[0] == 0.5  # a copy by default
    assert mean.astype(numpy.float16, copy=False) is mean
