"""The speedrun-cifar10 recipe: its options resolve to what airbench94_muon
does, each reaches the run (per-parameter Muon settings, whitening from the
training images, linear schedule, Lookahead, test-time augmentation), and
the whole recipe trains end to end at a tiny budget."""

import json

import numpy
import pytest
import torch

from chainvision import datasets, optimizers
from chainvision.app import machine, options, optimization
from chainvision.app.fit import fit
from chainvision.app.patch_whitening import patch_whitening_filters
from chainvision.app.run import Run
from chainvision.training.distributed import DistributedContext
from chainvision.training.extensions import LinearShift, Lookahead


@pytest.fixture(scope='module')
def small_cifar():
    """400 CIFAR-10 training images as ``train`` and the next 100 as ``test``."""
    images, labels = datasets.load_arrays('cifar10', 'train')
    images, labels = numpy.array(images[:500]), numpy.array(labels[:500])
    return {'train': (images[:400], labels[:400]), 'test': (images[400:], labels[400:])}


SMALL = dict(batch_size=100, iterations=2, patch_whitening=200, progress=False,
             tensorboard=False, threads=1)


def test_the_recipe_is_airbench94_muon_with_its_rates_per_averaged_loss():
    config = options.resolve('speedrun_cifar', 'cifar10', 'speedrun-cifar10', {'device': 'cpu'})
    assert (config['epochs'], config['batch_size'], config['optimizer']) == (10, 2000, 'muon')
    assert config['lr'] == pytest.approx(0.053 * 2000)
    assert config['param_hyperparams']['/predictor/head/W'] == {'lr': pytest.approx(1340)}
    assert config['weight_decay'] == pytest.approx(0.004 / 0.15)
    assert (config['augment'], config['tta'], config['schedule']) == (
        'crop2reflect,altflip', 'flip-shift', 'linear')
    assert (config['label_smoothing'], config['patch_whitening'], config['val_split']) == (
        0.2, 5000, 0)
    expected = 'bf16' if machine.computes_bf16_natively(torch.device('cpu')) else 'fp32'
    assert config['precision'] == expected and config['channels_last'] is True


def test_the_options_reach_the_run(small_cifar, tmp_path):
    config = options.resolve('speedrun_cifar', small_cifar, 'speedrun-cifar10',
                             dict(SMALL, lookahead=True))
    run = Run('speedrun_cifar', small_cifar, config, str(tmp_path), False,
              DistributedContext(), torch.device('cpu'))
    assert isinstance(run.optimizer, optimizers.Muon)
    predictor = run.predictor
    assert predictor.block2.conv1.W.update_rule.hyperparam.own_dict() == {
        'lr': 0.24, 'momentum': 0.6, 'ns_steps': 3}
    assert predictor.head.W.update_rule.hyperparam.lr == pytest.approx(1340)
    assert predictor.block2.norm1.beta.update_rule.hyperparam.own_dict() == {}
    normalized = datasets.loader.augment.normalize(
        torch.from_numpy(small_cifar['train'][0][:200]), run.train_loader.mean,
        run.train_loader.std)
    torch.testing.assert_close(predictor.whiten.W, patch_whitening_filters(normalized))
    assert isinstance(run.trainer.get_extension('schedule'), LinearShift)
    assert isinstance(run.trainer.get_extension('lookahead'), Lookahead)


def test_param_hyperparams_must_match_a_parameter(small_cifar, tmp_path):
    config = options.resolve('speedrun_cifar', small_cifar, 'speedrun-cifar10',
                             dict(SMALL, param_hyperparams={'/predictor/hed/W': {'lr': 1.}}))
    with pytest.raises(ValueError, match="'/predictor/hed/W' matches no parameter"):
        Run('speedrun_cifar', small_cifar, config, str(tmp_path), False,
            DistributedContext(), torch.device('cpu'))


def test_linear_schedule_decays_eta_to_zero_at_the_end():
    config = dict(options.resolve('lenet5', 'mnist', None, {'schedule': 'linear'}))
    shift = optimization.build_schedule(config, 10, ('eta', 1.))
    assert [shift.value_at(t) for t in (0, 5, 10)] == [1., 0.5, 0.]


def test_speedrun_recipe_trains_at_a_tiny_budget(small_cifar, tmp_path):
    results = fit('speedrun_cifar', small_cifar, recipe='speedrun-cifar10',
                  out=str(tmp_path / 'run'), **SMALL)
    assert results['iterations'] == 2 and 0 <= results['test_accuracy'] <= 1
    with open(tmp_path / 'run' / 'config.json') as f:
        assert json.load(f)['tta'] == 'flip-shift'
