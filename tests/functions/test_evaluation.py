"""Classification accuracy."""

import numpy
import pytest
import torch

import chainvision.functions as F

SCORES = numpy.array([[.1, .9], [.8, .2], [.3, .7], [.6, .4]], dtype=numpy.float32)


def test_accuracy_is_the_fraction_of_correct_argmaxes():
    assert F.accuracy(SCORES, numpy.array([1, 0, 0, 1])).item() == pytest.approx(0.5)


def test_accuracy_leaves_ignored_labels_out_of_the_count():
    t = numpy.array([1, -1, 0, -1])
    assert F.accuracy(SCORES, t, ignore_label=-1).item() == pytest.approx(0.5)
    assert F.accuracy(SCORES, -numpy.ones(4, dtype=int), ignore_label=-1).item() == 0


def test_accuracy_spatial_labels_dtype_and_no_gradient():
    y = torch.randn(2, 3, 4, 4, requires_grad=True)
    t = y.argmax(dim=1)
    acc = F.accuracy(y, t)
    assert acc.item() == 1 and acc.dtype == torch.float32 and not acc.requires_grad


def test_accuracy_shape_mismatch_is_an_error():
    with pytest.raises(ValueError, match='t of shape'):
        F.accuracy(SCORES, numpy.zeros(3, dtype=int))


def test_binary_accuracy_reads_the_sign_of_the_scores():
    # Chainer 7.8.1's docstring example: 1.0.
    y = numpy.array([[-2.0, 0.0], [3.0, -5.0]], numpy.float32)
    t = numpy.array([[0, 1], [1, 0]], numpy.int32)
    assert F.binary_accuracy(y, t).item() == 1


def test_binary_accuracy_leaves_minus_one_labels_out():
    # Chainer 7.8.1: 0.6666667, then 0.0 when every label is -1.
    y = numpy.array([0.5, -0.1, 2.0, -3.0, 0.0], numpy.float32)
    t = numpy.array([1, 1, -1, 0, -1], numpy.int32)
    acc = F.binary_accuracy(y, t)
    assert acc.item() == pytest.approx(2 / 3) and acc.dtype == torch.float32
    assert F.binary_accuracy(y, numpy.full(5, -1, numpy.int32)).item() == 0


def test_binary_accuracy_shape_mismatch_is_an_error():
    with pytest.raises(ValueError, match='one shape'):
        F.binary_accuracy(numpy.zeros(3, numpy.float32), numpy.zeros(4, numpy.int32))


def test_accuracy_allows_trailing_axes_of_length_one_as_chainer():
    y = numpy.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]])[:, :, None, None]
    assert float(F.accuracy(y, numpy.array([1, 0, 0]))) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match='accuracy expects'):
        F.accuracy(numpy.zeros((3, 2, 2)), numpy.zeros(3, numpy.int32))
