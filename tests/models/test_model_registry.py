"""The registry (create, names, info, register) and the hyper-parameters
every model shares (num_classes, in_channels, act_fn)."""

import pytest
import torch

import chainvision
import chainvision.functions as F
import chainvision.links as L
from chainvision import models
from chainvision.models import _registry


@pytest.fixture
def private_registry(monkeypatch):
    """Registrations made by a test go to a copy of the registry."""
    monkeypatch.setattr(_registry, '_BUILDERS', dict(_registry._BUILDERS))


class TinyNet(models.ImageClassifier):
    def __init__(self, num_classes=3, in_channels=1, act_fn='relu'):
        super().__init__(num_classes, in_channels, act_fn)
        with self.init_scope():
            self.conv = L.Convolution2D(in_channels, 4, 3)
            self.fc = L.Linear(4 * 6 * 6, num_classes)

    def forward(self, x):
        return self.fc(self.act(self.conv(x)))


def test_names_are_sorted_with_numbers_in_numeric_order():
    resnets = [n for n in models.names() if n.startswith('resnet') and n[6:].isdigit()]
    assert resnets == ['resnet20', 'resnet32', 'resnet44', 'resnet50', 'resnet56', 'resnet101',
                       'resnet110', 'resnet152', 'resnet1202']


def test_create_builds_the_named_model_with_its_hyper_parameters():
    model = models.create('resnet20', num_classes=100, in_channels=1)
    assert isinstance(model, models.ResNetCIFAR)
    assert model.conv1.W.shape == (16, 1, 3, 3)
    assert model(torch.zeros(2, 1, 32, 32)).shape == (2, 100)


def test_unknown_name_error_lists_the_close_matches():
    with pytest.raises(KeyError) as error:
        models.create('resnet21')
    message = str(error.value)
    assert "Unknown model 'resnet21'" in message
    suggestions = message.split('Did you mean: ')[1].rstrip('?').split(', ')
    assert 'resnet20' in suggestions and 'densenet121' not in suggestions


def test_unknown_name_without_close_match_points_to_the_list():
    with pytest.raises(models.UnknownModelError, match=r'chainvision.models.names\(\)'):
        models.info('transformer')


def test_unknown_hyper_parameter_error_names_the_model():
    with pytest.raises(TypeError, match=r"unexpected keyword argument 'width'.*'resnet20'"):
        models.create('resnet20', width=2)


def test_info_reports_size_cost_input_and_reference():
    info = models.info('resnet20')
    assert info.params == 269_722
    assert info.macs == 40_551_040
    assert info.input_size == (3, 32, 32)
    assert 'He et al. 2016' in info.reference
    assert info.description.startswith('ResNet-20')


def test_register_adds_a_users_model(private_registry):
    @models.register(input_size=(1, 8, 8), reference='my notes')
    def tiny_net_for_registry_test(**hparams):
        """A tiny network."""
        return TinyNet(**hparams)

    assert 'tiny_net_for_registry_test' in models.names()
    assert isinstance(models.create('tiny_net_for_registry_test'), TinyNet)
    info = models.info('tiny_net_for_registry_test')
    assert info.params == 4 * 9 + 4 + 144 * 3 + 3
    assert info.macs == 4 * 36 * 9 + 144 * 3
    assert (info.reference, info.description) == ('my notes', 'A tiny network.')


def test_register_bare_under_another_name_has_unknown_cost(private_registry):
    models.register(TinyNet, name='tiny_net_bare_for_registry_test')
    info = models.info('tiny_net_bare_for_registry_test')
    assert info.input_size is None and info.macs is None


def test_register_refuses_a_taken_name(private_registry):
    with pytest.raises(ValueError, match="'resnet20' is already registered"):
        models.register(TinyNet, name='resnet20')


def test_register_refuses_an_input_size_that_is_not_chw(private_registry):
    with pytest.raises(ValueError, match=r'input_size must be \(C, H, W\)'):
        models.register(TinyNet, name='tiny_net_bad_size', input_size=(8, 8))


@pytest.mark.parametrize('act_fn, reference', [
    ('relu', torch.relu),
    ('tanh', torch.tanh),
    ('leakyrelu', lambda x: torch.nn.functional.leaky_relu(x, 0.01)),
    ('gelu', torch.nn.functional.gelu),
])
def test_act_fn_selects_the_activation(act_fn, reference):
    x = torch.linspace(-3, 3, 13)
    model = TinyNet(act_fn=act_fn)
    torch.testing.assert_close(model.act(x), reference(x))


def test_act_fn_changes_a_zoo_models_output():
    torch.manual_seed(0)
    x = torch.randn(2, 3, 32, 32)
    outputs = []
    for act_fn in ('relu', 'tanh', 'leakyrelu', 'gelu'):
        torch.manual_seed(1)
        model = models.create('googlenet_cifar', act_fn=act_fn)
        outputs.append(model.predict(x))
    for i in range(1, 4):
        assert not torch.allclose(outputs[0], outputs[i])


def test_unknown_act_fn_error_lists_the_known_ones():
    with pytest.raises(ValueError, match=r"Unknown act_fn 'swish'.*gelu, leakyrelu, relu"):
        models.create('resnet20', act_fn='swish')


@pytest.mark.parametrize('hparams, message', [
    ({'num_classes': 0}, 'num_classes must be a positive integer, got 0'),
    ({'in_channels': 2.5}, 'in_channels must be a positive integer, got 2.5'),
])
def test_bad_sizes_are_rejected(hparams, message):
    with pytest.raises(ValueError, match=message):
        models.create('lenet5', **hparams)


def test_predict_honours_eval_and_leaves_the_mode_alone():
    model = TinyNet()
    model.eval()
    x = torch.randn(2, 1, 8, 8)
    probabilities = model.predict(x, precision='fp32')
    torch.testing.assert_close(probabilities, F.softmax(model(x)).detach())
    assert not model.training and chainvision.config.train
