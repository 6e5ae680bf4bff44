"""Every registered model: its published size, and forward, backward,
``predict`` and inference behaviour at a small input."""

import pytest
import torch

import chainvision
import chainvision.functions as F
from chainvision import models

# Parameter counts of the papers / tutorials (default hyper-parameters).
EXPECTED_PARAMS = {
    'lenet5': 44_426,
    'resnet20': 269_722,
    'resnet32': 464_154,
    'resnet44': 658_586,
    'resnet56': 853_018,
    'resnet110': 1_727_962,
    'resnet1202': 19_421_274,
    'resnet_cifar': 272_378,
    'preact_resnet_cifar': 272_250,
    'googlenet_cifar': 260_650,
    'densenet_cifar': 239_146,
    'densenet_bc': 769_186,
    'vgg16': 138_357_544,
    'vgg16_bn': 138_365_992,
    'vgg16_cifar': 14_728_266,
    'resnet50': 25_557_032,
    'resnet101': 44_549_160,
    'resnet152': 60_192_808,
    'googlenet': 6_998_552,
    'densenet121': 7_978_856,
    'speedrun_cifar': 1_971_640,
}

# The smallest valid input of each model for the behaviour tests, and the
# hyper-parameters that allow it.  ImageNet networks end in global average
# pooling, so 32x32 is enough; VGG's fully connected layers are sized for
# its input, so the ImageNet VGGs are built for 32x32 here (the 224x224 build
# runs in test_vgg16_at_224_gives_1000_logits).
SMALL = {
    'lenet5': ({}, (1, 28, 28)),
    'vgg16': ({'input_size': 32}, (3, 32, 32)),
    'vgg16_bn': ({'input_size': 32}, (3, 32, 32)),
}
BATCH = 2


@pytest.fixture(scope='module', params=models.names())
def zoo_model(request):
    """(name, model, input batch) for each registered model, built once."""
    name = request.param
    hparams, input_size = SMALL.get(name, ({}, (3, 32, 32)))
    torch.manual_seed(0)
    model = models.create(name, **hparams)
    x = torch.randn((BATCH,) + input_size)
    return name, model, x


def test_every_registered_model_has_an_expected_size():
    assert sorted(EXPECTED_PARAMS) == sorted(models.names())


@pytest.mark.parametrize('name', sorted(EXPECTED_PARAMS))
def test_parameter_count_matches_the_reference(name):
    assert models.info(name).params == EXPECTED_PARAMS[name]


@pytest.mark.parametrize('name', sorted(EXPECTED_PARAMS))
def test_builder_docstring_states_the_parameter_count(name):
    builder = getattr(models, name)
    assert '{:,}'.format(EXPECTED_PARAMS[name]) in builder.__doc__


def test_forward_backward_gives_logits_and_a_gradient_for_every_parameter(zoo_model):
    name, model, x = zoo_model
    model.cleargrads()
    y = model(x)
    assert y.shape == (BATCH, model.num_classes)
    assert torch.isfinite(y).all()
    F.softmax_cross_entropy(y, torch.arange(BATCH)).backward()
    # Frozen parameters (speedrun_cifar's whitening filters) get none.
    missing = [path for path, p in model.namedparams() if p.requires_grad and p.grad is None]
    assert missing == []
    assert all(torch.isfinite(p.grad).all() for p in model.params() if p.requires_grad)


def test_predict_gives_probabilities_without_gradients(zoo_model):
    _, model, x = zoo_model
    probabilities = model.predict(x)
    assert probabilities.shape == (BATCH, model.num_classes)
    assert not probabilities.requires_grad
    assert (probabilities >= 0).all()
    torch.testing.assert_close(probabilities.sum(axis=1), torch.ones(BATCH))
    assert chainvision.config.train and model.training


def test_inference_is_deterministic_and_matches_predict(zoo_model):
    _, model, x = zoo_model
    with chainvision.using_config('train', False), torch.no_grad():
        first, second = model(x), model(x)
    assert torch.equal(first, second)
    torch.testing.assert_close(F.softmax(first), model.predict(x, precision='fp32'))


def test_vgg16_at_224_gives_1000_logits():
    model = models.create('vgg16')
    assert model.fc6.W.shape == (4096, 512 * 7 * 7)
    with torch.no_grad():
        y = model(torch.randn(1, 3, 224, 224))
    assert y.shape == (1, 1000)
    assert torch.isfinite(y).all()
