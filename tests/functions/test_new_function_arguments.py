"""Argument checks and modes of the functions checked against Chainer in
test_chainer_references.py (the values are there)."""

import numpy
import pytest
import torch

import chainvision
import chainvision.functions as F

X = numpy.arange(12, dtype=numpy.float32).reshape(3, 4) - 5


@pytest.mark.parametrize('call, message', [
    (lambda: F.add(numpy.zeros(2), numpy.zeros(3)), 'one shape'),
    (lambda: F.permutate(X, numpy.array([0, 0, 1, 2])), 'permutation'),
    (lambda: F.maxout(X, 3), 'not a multiple'),
    (lambda: F.rrelu(X, l=0.5, u=0.2), '0 <= l < u < 1'),
    (lambda: F.spatial_pyramid_pooling_2d(numpy.zeros((1, 1, 4, 4)), 2, 'avg'), 'Unsupported'),
    (lambda: F.hinge(X, numpy.zeros(3, numpy.int32), norm='L3'), 'norm'),
    (lambda: F.huber_loss(X, X, 1.0, reduce='mean'), 'reduce must be one of'),
    (lambda: F.gaussian_nll(X, X, X, reduce='max'), 'reduce must be one of'),
    (lambda: F.contrastive(X, X, numpy.zeros(3, numpy.int32), margin=0), 'positive'),
    (lambda: F.select_item(X, numpy.zeros(2, numpy.int32)), r'\(B, N\)'),
    (lambda: F.det(numpy.zeros((2, 3))), 'square'),
    (lambda: F.depth2space(numpy.zeros((1, 3, 2, 2)), 2), 'divisible'),
    (lambda: F.rollaxis(X, 2), 'out of range'),
])
def test_bad_arguments_are_rejected(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_r2_score_rejects_what_chainer_rejects():
    with pytest.raises(NotImplementedError):
        F.r2_score(X, X, sample_weight=numpy.ones(3))
    with pytest.raises(ValueError, match='multioutput'):
        F.r2_score(X, X, multioutput='variance_weighted')


def test_rrelu_uses_the_mean_slope_in_inference_and_random_slopes_in_training():
    x = -torch.ones(2000)
    with chainvision.using_config('train', False):
        y, r = F.rrelu(x, return_r=True)
    assert torch.allclose(y, torch.full_like(x, -(1 / 8 + 1 / 3) / 2)) and r.shape == x.shape
    torch.manual_seed(0)
    y, r = F.rrelu(x, l=0.1, u=0.3, return_r=True)
    assert 0.1 <= r.min() and r.max() < 0.3 and abs(r.mean().item() - 0.2) < 0.01
    assert torch.equal(y, -r)


def test_space2depth_inverts_depth2space_and_differs_from_pixel_shuffle():
    x = torch.arange(2 * 8 * 3 * 3, dtype=torch.float32).reshape(2, 8, 3, 3)
    assert torch.equal(F.space2depth(F.depth2space(x, 2), 2), x)
    assert not torch.equal(F.depth2space(x, 2), torch.nn.functional.pixel_shuffle(x, 2))


def test_scatter_add_accumulates_repeated_indices_as_numpy_add_at():
    a = numpy.zeros((3, 2), numpy.float32)
    expected = a.copy()
    numpy.add.at(expected, [0, 0, 2], 1)
    numpy.testing.assert_array_equal(F.scatter_add(a, [0, 0, 2], 1).numpy(), expected)


def test_forget_recomputes_instead_of_keeping_the_graph():
    calls = []

    def block(x):
        calls.append(1)
        return F.sigmoid(x) * 2

    x = torch.randn(4, requires_grad=True)
    F.sum(F.forget(block, x)).backward()
    assert len(calls) == 2  # forward, then again in backward
    expected = 2 * torch.sigmoid(x) * (1 - torch.sigmoid(x))
    torch.testing.assert_close(x.grad, expected.detach())


def test_broadcast_of_one_array_is_that_array():
    y = F.broadcast(X)
    assert isinstance(y, torch.Tensor) and y.shape == (3, 4)


def test_classification_summary_dtypes_and_ignored_labels():
    y = numpy.eye(3, dtype=numpy.float32)[[0, 1, 2, 2]]
    precision, recall, fbeta, support = F.classification_summary(y, numpy.array([0, 1, 1, -1]))
    assert precision.dtype == torch.float64 and support.dtype == torch.int64
    assert support.tolist() == [1, 2] and recall.tolist() == [1.0, 0.5]


def test_gaussian_samples_have_the_given_moments_and_replay_their_noise():
    torch.manual_seed(0)
    mean = torch.full((200000,), 1.5, requires_grad=True)
    ln_var = torch.full((200000,), numpy.log(0.25), requires_grad=True)
    y, eps = F.gaussian(mean, ln_var, return_eps=True)
    assert abs(y.mean().item() - 1.5) < 0.01 and abs(y.std().item() - 0.5) < 0.01
    torch.testing.assert_close(F.gaussian(mean, ln_var, eps=eps), y)
    y.sum().backward()
    assert mean.grad.eq(1).all()


def test_gumbel_softmax_samples_the_categorical_distribution():
    torch.manual_seed(0)
    probabilities = torch.tensor([0.1, 0.6, 0.3])
    log_pi = probabilities.log().expand(20000, 3)
    y = F.gumbel_softmax(log_pi, tau=0.1)
    torch.testing.assert_close(y.sum(dim=1), torch.ones(20000))
    frequencies = torch.bincount(y.argmax(dim=1), minlength=3).float() / 20000
    torch.testing.assert_close(frequencies, probabilities, atol=0.015, rtol=0)
    assert (y.max(dim=1).values > 0.9).float().mean() > 0.8  # nearly one-hot at tau 0.1
    assert F.gumbel_softmax(torch.tensor(0.3)).item() == 1
