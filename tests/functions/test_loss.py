"""Loss functions: Chainer's ignore labels, normalization and class
weights, values and gradients."""

import numpy
import pytest
import torch

import chainvision
import chainvision.functions as F
from chainvision.gradient_check import check_backward

# Softmax probabilities proportional to the rows; the third label is ignored.
LOGITS = numpy.log(numpy.array([[1., 2., 1.], [1., 1., 2.], [3., 1., 1.], [1., 4., 1.]]))
LABELS = numpy.array([0, 2, -1, 1])


def test_softmax_cross_entropy_averages_over_non_ignored_labels():
    expected = -(numpy.log(1 / 4) + numpy.log(2 / 4) + numpy.log(4 / 6)) / 3
    # Chainer 7.8.1: 0.8283022165959999
    assert F.softmax_cross_entropy(LOGITS, LABELS).item() == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(0.8283022165959999, rel=1e-12)


def test_softmax_cross_entropy_normalize_false_divides_by_the_batch_size():
    # Chainer 7.8.1: 0.621226662447
    loss = F.softmax_cross_entropy(LOGITS, LABELS, normalize=False)
    assert loss.item() == pytest.approx(0.621226662447, rel=1e-11)


def test_softmax_cross_entropy_class_weight_normalization_by_count():
    # Chainer 7.8.1 with class_weight [1, 2, 3]: 1.4255553730053514; the sum of the
    # weighted losses is divided by the count 3, not by the sum of weights (PyTorch's rule).
    loss = F.softmax_cross_entropy(LOGITS, LABELS, class_weight=numpy.array([1., 2., 3.]))
    assert loss.item() == pytest.approx(1.4255553730053514, rel=1e-12)


def test_softmax_cross_entropy_reduce_no_is_zero_where_ignored():
    losses = F.softmax_cross_entropy(LOGITS, LABELS, reduce='no')
    numpy.testing.assert_allclose(
        losses.numpy(), [-numpy.log(.25), -numpy.log(.5), 0., -numpy.log(4 / 6)], rtol=1e-12)


def test_softmax_cross_entropy_spatial_labels_and_gradient():
    x = numpy.random.randn(2, 3, 2, 2)
    t = numpy.array([[[0, 1], [2, -1]], [[1, 1], [0, 2]]])
    log_p = x - numpy.log(numpy.exp(x).sum(axis=1, keepdims=True))
    picked = [-log_p[n, t[n, i, j], i, j] for n in range(2) for i in range(2) for j in range(2)
              if t[n, i, j] >= 0]
    assert F.softmax_cross_entropy(x, t).item() == pytest.approx(numpy.mean(picked), rel=1e-12)
    check_backward(lambda v: F.softmax_cross_entropy(v, t), x, None)
    check_backward(lambda v: F.softmax_cross_entropy(v, t, class_weight=numpy.array([1., 2., 3.])),
                   x, None)


def test_softmax_cross_entropy_all_ignored_gives_zero_and_bad_shapes_fail():
    assert F.softmax_cross_entropy(LOGITS, -numpy.ones(4, dtype=int)).item() == 0
    with pytest.raises(ValueError, match='t of shape'):
        F.softmax_cross_entropy(LOGITS, numpy.zeros(3, dtype=int))
    with pytest.raises(ValueError, match='reduce'):
        F.softmax_cross_entropy(LOGITS, LABELS, reduce='sum')


X2 = numpy.array([[0., 1.], [-2., 3.]])
T2 = numpy.array([[1, 0], [-1, 1]])


def _bce(x, t):
    p = 1 / (1 + numpy.exp(-x))
    return -(t * numpy.log(p) + (1 - t) * numpy.log(1 - p))


def test_sigmoid_cross_entropy_ignores_minus_one_and_normalizes_by_count():
    expected = (_bce(0., 1) + _bce(1., 0) + _bce(3., 1)) / 3
    # Chainer 7.8.1: 0.68499873988397, and 1.027498109825955 with normalize=False
    assert expected == pytest.approx(0.68499873988397, rel=1e-12)
    assert F.sigmoid_cross_entropy(X2, T2).item() == pytest.approx(expected, rel=1e-12)
    assert F.sigmoid_cross_entropy(X2, T2, normalize=False).item() == pytest.approx(
        1.027498109825955, rel=1e-12)
    numpy.testing.assert_allclose(F.sigmoid_cross_entropy(X2, T2, reduce='no').numpy(),
                                  [[_bce(0., 1), _bce(1., 0)], [0., _bce(3., 1)]], rtol=1e-12)


def test_sigmoid_cross_entropy_gradient_and_shape_error():
    check_backward(lambda v: F.sigmoid_cross_entropy(v, T2), X2, None)
    with pytest.raises(ValueError, match='one shape'):
        F.sigmoid_cross_entropy(X2, T2[0])


def test_squared_and_absolute_errors():
    a, b = numpy.random.randn(3, 4), numpy.random.randn(3, 4)
    numpy.testing.assert_allclose(F.squared_error(a, b).numpy(), (a - b) ** 2)
    numpy.testing.assert_allclose(F.absolute_error(a, b).numpy(), numpy.abs(a - b))
    assert F.mean_squared_error(a, b).item() == pytest.approx(((a - b) ** 2).mean())
    assert F.mean_absolute_error(a, b).item() == pytest.approx(numpy.abs(a - b).mean())
    for function in (F.squared_error, F.absolute_error):
        check_backward(function, (a, b), numpy.random.randn(3, 4))
    for function in (F.mean_squared_error, F.mean_absolute_error):
        check_backward(function, (a, b), None)


def test_mean_squared_error_does_not_broadcast():
    with pytest.raises(ValueError, match=r'\(3, 4\) and \(4,\)'):
        F.mean_squared_error(numpy.zeros((3, 4)), numpy.zeros(4))


def test_losses_accept_tensors_and_stay_float32():
    x = torch.randn(4, 3, requires_grad=True)
    loss = F.softmax_cross_entropy(x, torch.tensor([0, 1, 2, -1]))
    loss.backward()
    assert loss.dtype == torch.float32 and x.grad[3].abs().sum() == 0


def test_softmax_cross_entropy_soft_targets_as_chainer_v7():
    rs = numpy.random.RandomState(0)
    x, t = rs.randn(2, 3, 2), rs.rand(2, 3, 2)
    t /= t.sum(axis=1, keepdims=True)
    # Chainer 7.8.1, the same x and t: the mean runs over N * d_1 = 4 positions.
    assert F.softmax_cross_entropy(x, t).item() == pytest.approx(1.53711179, rel=1e-8)
    kl = F.softmax_cross_entropy(x, t, soft_target_loss='kl-divergence')
    assert kl.item() == pytest.approx(0.66780606, rel=1e-7)
    numpy.testing.assert_allclose(F.softmax_cross_entropy(x, t, reduce='no').numpy(),
                                  [[1.02340895, 2.55658458], [1.2176003, 1.35085334]], rtol=1e-7)
    check_backward(lambda v: F.softmax_cross_entropy(v, t), x, None)
    with pytest.raises(ValueError, match='soft_target_loss'):
        F.softmax_cross_entropy(x, t, soft_target_loss='l2')


def test_softmax_cross_entropy_of_many_float16_losses_does_not_overflow():
    # Chainer 7.8.1 gives a finite mean too (its sum is not float16's).
    x = numpy.zeros((300000, 2), numpy.float16)
    loss = F.softmax_cross_entropy(x, numpy.zeros(300000, numpy.int32))
    assert loss.dtype == torch.float16
    numpy.testing.assert_allclose(float(loss), numpy.log(2), rtol=1e-3)


def test_softmax_cross_entropy_rejects_a_class_weight_that_is_not_1d_float():
    x, t = numpy.zeros((2, 2), numpy.float32), numpy.array([0, 1])
    for weight in (numpy.array([[1.0, 1.0]], numpy.float32), numpy.array([1, 1], numpy.int32)):
        with pytest.raises(ValueError, match='class_weight must be a 1-d float array'):
            F.softmax_cross_entropy(x, t, class_weight=weight)


def test_softmax_cross_entropy_checks_labels_in_debug_mode():
    x, t = numpy.zeros((2, 2), numpy.float32), numpy.array([3, -1])
    with chainvision.using_config('debug', True):
        with pytest.raises(ValueError, match=r'labels must lie in \[0, 2\)'):
            F.softmax_cross_entropy(x, t)
        F.softmax_cross_entropy(x, numpy.array([1, -1]))
