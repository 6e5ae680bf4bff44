"""``torch.compile`` on the CIFAR ResNets."""

import os

import pytest
import torch

import chainvision.functions as F
from chainvision import models


def _loss_and_gradients(model, x, t):
    model.cleargrads()
    y = model(x)
    F.softmax_cross_entropy(y, t).backward()
    return y.detach(), [p.grad.clone() for p in model.params()]


def _assert_compiled_matches_eager(name, backend):
    torch.manual_seed(0)
    model = models.create(name)
    x, t = torch.randn(4, 3, 32, 32), torch.tensor([0, 1, 2, 3])
    eager = _loss_and_gradients(model, x, t)
    torch._dynamo.reset()
    compiled = torch.compile(model, backend=backend)
    # The first compiled step updates BN statistics again; compare outputs and
    # gradients, which do not depend on them in training mode.
    y, grads = _loss_and_gradients(compiled, x, t)
    torch.testing.assert_close(y, eager[0], rtol=1e-4, atol=1e-5)
    for got, expected in zip(grads, eager[1]):
        torch.testing.assert_close(got, expected, rtol=1e-3, atol=1e-5)
    model.eval()
    with torch.no_grad():
        torch.testing.assert_close(compiled(x), model(x), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize('name', ['resnet20', 'preact_resnet_cifar'])
def test_torch_compile_traces_cifar_resnets(name):
    # Dynamo captures the graphs (the part our Python code can break);
    # backend='eager' runs them without generating C++, in seconds.
    _assert_compiled_matches_eager(name, 'eager')


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get('CHAINVISION_TEST_INDUCTOR'),
                    reason='Inductor needs about 70 s on a 2-core CPU to compile ResNet-20 for '
                           'training (measured); set CHAINVISION_TEST_INDUCTOR=1 to run it.')
def test_torch_compile_with_inductor_matches_eager_resnet20():
    _assert_compiled_matches_eager('resnet20', 'inductor')


@pytest.mark.parametrize('name', ['lenet5', 'resnet20', 'preact_resnet_cifar', 'googlenet_cifar',
                                  'densenet_cifar', 'vgg16_cifar'])
def test_small_models_trace_to_a_single_graph(name):
    # No graph break anywhere: config reads, padding and pooling are traceable.
    torch._dynamo.reset()
    model = models.create(name)
    x = torch.randn(2, *models.info(name).input_size)
    explanation = torch._dynamo.explain(model)(x)
    assert explanation.graph_break_count == 0, explanation.break_reasons


def test_compiled_model_follows_config_train():
    # Dynamo guards on chainvision.config.train, so using_config switches a
    # compiled model into inference behaviour (running BN statistics).
    import chainvision
    torch._dynamo.reset()
    model = models.create('resnet20')
    compiled = torch.compile(model, backend='eager')
    x = torch.randn(4, 3, 32, 32)
    with torch.no_grad():
        compiled(x)
        with chainvision.using_config('train', False):
            inference = compiled(x)
        model.eval()
        expected = model(x)
    torch.testing.assert_close(inference, expected)
