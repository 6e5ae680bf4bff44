import numpy
import pytest
import torch

import chainvision
import chainvision.links as L
from chainvision.utils import type_check


def _batches():
    # The same deterministic batches the Chainer 7.8.1 reference run used.
    for k in range(3):
        yield (numpy.arange(24, dtype=numpy.float32).reshape(2, 3, 2, 2) * (k + 1) % 7
               - 2.5).astype(numpy.float32)


def test_running_averages_match_chainer_after_three_updates():
    bn = L.BatchNormalization(3)
    for x in _batches():
        y = bn(x)
    # Printed by chainer.links.BatchNormalization(3) on the same batches.
    numpy.testing.assert_allclose(bn.avg_mean.numpy(), [-0.01025, 0.174875, 0.147375],
                                  rtol=1e-5)
    numpy.testing.assert_allclose(bn.avg_var.numpy(), [1.9972857, 1.9396605, 1.8409107],
                                  rtol=1e-5)
    numpy.testing.assert_allclose(y.detach()[0, :, 0, 0].numpy(),
                                  [-1.2290046, 0.94280696, -0.32342225], rtol=1e-5)
    with chainvision.using_config('train', False):
        y_test = bn(x)
    numpy.testing.assert_allclose(y_test.detach()[1, :, 1, 1].numpy(),
                                  [0.3610445, -1.2025892, 2.470963], rtol=1e-5)


def test_finetune_accumulates_a_cumulative_average_like_chainer():
    bn = L.BatchNormalization(3, decay=0.5)
    for x in _batches():
        bn(x, finetune=True)
    assert bn.N == 3
    numpy.testing.assert_allclose(bn.avg_mean.numpy(), [-0.04166667, 0.6666667, 0.5], rtol=1e-5)
    numpy.testing.assert_allclose(bn.avg_var.numpy(), [4.708334, 4.416667, 4.083334], rtol=1e-5)
    bn.start_finetuning()
    assert bn.N == 0


@pytest.mark.parametrize('inference', ['config', 'eval'])
def test_either_config_train_false_or_eval_alone_gives_inference(inference):
    bn = L.BatchNormalization(3, initial_avg_mean=1.0, initial_avg_var=4.0)
    x = torch.randn(4, 3, 2, 2)
    if inference == 'eval':
        bn.eval()
        y = bn(x)
    else:
        with chainvision.using_config('train', False):
            y = bn(x)
    assert torch.allclose(y, (x - 1) / torch.sqrt(torch.tensor(4 + 2e-5)), atol=1e-6)
    assert torch.all(bn.avg_mean == 1) and torch.all(bn.avg_var == 4)


def test_training_normalizes_with_batch_statistics_and_biased_variance():
    bn = L.BatchNormalization(2, eps=1e-3)
    x = torch.randn(5, 2, 3)
    y = bn(x)
    mean = x.mean(dim=(0, 2), keepdim=True)
    var = x.var(dim=(0, 2), unbiased=False, keepdim=True)
    assert torch.allclose(y, (x - mean) / torch.sqrt(var + 1e-3), atol=1e-5)


def test_parameters_persistents_and_lazy_size():
    bn = L.BatchNormalization()
    assert bn.avg_mean is None
    bn(numpy.ones((2, 5), numpy.float32))
    assert [name for name, _ in bn.namedparams()] == ['/gamma', '/beta']
    assert bn.gamma.shape == bn.avg_var.shape == (5,)
    assert bn.persistent_names() == ['avg_mean', 'avg_var', 'N']
    assert set(bn.state_dict()) == {'gamma', 'beta', 'avg_mean', 'avg_var'}


def test_without_gamma_and_beta():
    bn = L.BatchNormalization(2, use_gamma=False, use_beta=False)
    assert list(bn.namedparams()) == []
    x = torch.randn(4, 2)
    assert torch.allclose(bn(x), (x - x.mean(0)) / torch.sqrt(x.var(0, unbiased=False) + 2e-5),
                          atol=1e-5)


def test_gradients_reach_gamma_and_beta():
    bn = L.BatchNormalization(3)
    (bn(torch.randn(4, 3)) * torch.arange(3.0)).sum().backward()
    assert bn.gamma.grad is not None and torch.allclose(bn.beta.grad, torch.arange(3.0) * 4)


def test_forward_takes_finetune_by_keyword_only_and_rejects_chainer_v1s_test():
    bn = L.BatchNormalization(3)
    x = numpy.random.randn(4, 3).astype(numpy.float32)
    with pytest.raises(ValueError, match='using_config'):
        bn(x, test=True)
    with pytest.raises(TypeError):
        bn(x, True)
    with pytest.raises(TypeError, match='unknown'):
        bn(x, unknown=1)
    bn(x, finetune=True)
    assert bn.N == 1


def test_a_channel_count_other_than_size_is_invalid_type():
    with pytest.raises(type_check.InvalidType, match='parameters of shape'):
        L.BatchNormalization(3)(numpy.zeros((2, 4), numpy.float32))


def test_mixed16_keeps_float32_parameters_and_statistics():
    # Chainer 7.8.1: gamma, beta, avg_mean, avg_var float32; the output float16 like x.
    bn = L.BatchNormalization(3, dtype=chainvision.mixed16)
    assert {bn.gamma.dtype, bn.beta.dtype, bn.avg_mean.dtype, bn.avg_var.dtype} == {torch.float32}
    assert bn(numpy.ones((2, 3), numpy.float16)).dtype == torch.float16
