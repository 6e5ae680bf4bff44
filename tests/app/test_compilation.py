"""torch.compile where the run is long enough to repay it: the decision,
the measurements it learns from, and the fallback when compiling fails."""

import json
import os

import pytest
import torch

import chainvision
from chainvision import datasets, models
from chainvision.app import compilation
from chainvision.app.model import build_classifier

pytestmark = pytest.mark.usefixtures('one_cpu_thread')

CPU = torch.device('cpu')


def test_compiling_pays_when_the_saving_over_the_run_exceeds_the_compile_time():
    estimate = compilation.Estimate(compile_seconds=70., saved_fraction=0.1)
    pays, reason = compilation.decide(64000, 0.2, estimate)      # he2016: 64k steps
    assert pays
    assert reason == ('64000 iterations take about 3.6 h eagerly; compiling takes about 70 s and '
                      'saves about 10% of each step (assumed, not yet measured here): it repays '
                      'itself')
    pays, reason = compilation.decide(2000, 0.2, estimate)       # 40 s saved < 70 s
    assert not pays and reason.endswith('the run is too short to repay it')
    measured = compilation.Estimate(70., 0.5, measured=True)
    assert compilation.decide(2000, 0.2, measured)[0]
    assert '(measured on this machine)' in compilation.decide(2000, 0.2, measured)[1]
    slower = compilation.Estimate(1., -0.14, measured=True)
    assert compilation.decide(250, 3.4, slower) == (
        False, '250 iterations take about 14 min eagerly; compiled steps are 14% slower '
        '(measured on this machine): compiling does not pay')


def test_measurements_replace_the_prior_once_recorded(tmp_path):
    measurements = compilation.Measurements(str(tmp_path / 'cache' / 'compile.json'))
    key = compilation.measurement_key('resnet20', CPU, 'fp32', True)
    assert key.startswith('resnet20|cpu|fp32|nhwc|')
    assert measurements.estimate(key, CPU) == compilation.PRIORS['cpu']
    measurements.record(key, compile_seconds=50., eager_step_seconds=0.2,
                        compiled_step_seconds=0.15)
    assert measurements.estimate(key, CPU) == compilation.Estimate(
        50., pytest.approx(0.25), measured=True)


def test_a_max_autotune_compilation_is_measured_apart_from_the_default_mode():
    """It compiles far longer: its measurements must not serve a default
    compilation's decision, nor the other way round."""
    default = compilation.measurement_key('resnet20', CPU, 'bf16', True)
    autotuned = compilation.measurement_key('resnet20', CPU, 'bf16', True, 'max-autotune')
    assert autotuned == default + '|max-autotune'


def _lenet_trial():
    torch.manual_seed(0)
    predictor = models.create('lenet5')
    classifier = build_classifier(predictor, 0., channels_last=False)
    x, t = torch.randn(8, 1, 28, 28), torch.arange(8)
    return predictor, classifier, compilation.TrialStep(classifier, x, t, 'fp32')


def _config(compile):
    return {'compile': compile, 'model': 'lenet5', 'precision': 'fp32', 'channels_last': False}


def test_a_trial_step_changes_neither_statistics_nor_gradients_nor_random_state():
    torch.manual_seed(0)
    predictor = models.create('resnet20')
    classifier = build_classifier(predictor, 0., channels_last=True)
    before = {k: v.clone() for k, v in classifier.state_dict().items()}
    x = torch.randn(4, 3, 32, 32).contiguous(memory_format=torch.channels_last)
    random_state = torch.get_rng_state()
    assert compilation.TrialStep(classifier, x, torch.arange(4), 'fp32')(evaluate=True) > 0
    for key, value in classifier.state_dict().items():
        assert torch.equal(value, before[key]), key
    assert all(p.grad is None for p in classifier.parameters())
    assert torch.equal(torch.get_rng_state(), random_state)


def test_a_run_too_short_to_repay_compiling_stays_eager_and_says_why(tmp_path):
    predictor, _, trial = _lenet_trial()
    config, said = _config(None), []
    compilation.choose(config, predictor, trial, 10, CPU, False, said.append,
                       compilation.Measurements(str(tmp_path / 'm.json')))
    assert config['compile'] is False
    assert said[0].startswith('compile: off (10 iterations take about ')
    assert said[0].endswith(' eagerly; compiling takes about 70 s and saves about 10% of each '
                            'step (assumed, not yet measured here): the run is too short to '
                            'repay it)')
    assert predictor._compiled_call_impl is None


def test_no_compile_and_distributed_runs_decide_without_a_trial():
    predictor, _, _ = _lenet_trial()
    for compile, distributed, line in ((False, False, 'compile: off (--no-compile)'),
                                       (None, True, 'compile: off (a data-parallel run '
                                                    'compiles only with --compile)')):
        config, said = _config(compile), []
        compilation.choose(config, predictor, None, 10 ** 9, CPU, distributed, said.append)
        assert (config['compile'], said) == (False, [line])


def _compile_with(monkeypatch, backend):
    original = torch.nn.Module.compile
    monkeypatch.setattr(torch.nn.Module, 'compile',
                        lambda self, mode=None: original(self, backend=backend))


def test_forced_compile_compiles_in_place_and_records_the_measurement(tmp_path, monkeypatch):
    _compile_with(monkeypatch, 'eager')        # Dynamo's capture without code generation
    predictor, classifier, trial = _lenet_trial()
    eager = predictor(trial.x)
    config, said = _config(True), []
    measurements = compilation.Measurements(str(tmp_path / 'm.json'))
    compilation.choose(config, predictor, trial, 10, CPU, False, said.append, measurements)
    assert config['compile'] is True and said[0].startswith('compile: on (--compile; compiled')
    assert predictor._compiled_call_impl is not None
    assert list(classifier.state_dict()) == list(build_classifier(
        models.create('lenet5'), 0., False).state_dict())           # keys unchanged
    torch.testing.assert_close(predictor(trial.x), eager)
    key = compilation.measurement_key('lenet5', CPU, 'fp32', False)
    assert set(json.loads(open(measurements.path).read())[key]) == {
        'compile_seconds', 'eager_step_seconds', 'compiled_step_seconds'}


def test_a_compilation_that_fails_falls_back_to_eager_with_one_warning(monkeypatch):
    _compile_with(monkeypatch, 'no_such_backend')
    predictor, _, trial = _lenet_trial()
    config = _config(True)
    with pytest.warns(UserWarning, match=r'torch.compile failed on this platform .*; training '
                                         r'eagerly\.') as warned:
        compilation.choose(config, predictor, trial, 10, CPU, False, lambda line: None)
    assert len(warned) == 1
    assert config['compile'] is False and predictor._compiled_call_impl is None
    assert predictor(trial.x).shape == (8, 10)


class _ScriptedTrial:
    """A trial whose steps take the given seconds (eager, then compiled)."""

    def __init__(self, eager, compiled):
        self.times = iter([eager, 30., compiled])

    def best_of(self, repeats):
        return next(self.times)

    def __call__(self, evaluate=False):
        return next(self.times)


def test_a_compiled_step_that_is_not_faster_goes_back_to_eager(tmp_path, monkeypatch):
    _compile_with(monkeypatch, 'eager')
    predictor, _, _ = _lenet_trial()
    measurements = compilation.Measurements(str(tmp_path / 'm.json'))
    key = compilation.measurement_key('lenet5', CPU, 'fp32', False)
    measurements.record(key, compile_seconds=1., eager_step_seconds=0.2,
                        compiled_step_seconds=0.1)                # it paid last time
    config, said = _config(None), []
    compilation.choose(config, predictor, _ScriptedTrial(0.1, 0.12), 1000, CPU, False,
                       said.append, measurements)
    assert config['compile'] is False and predictor._compiled_call_impl is None
    assert said == ['compile: off (compiled, the step took 120 ms against 100 ms eagerly; '
                    'recorded for the next run)']
    assert measurements.estimate(key, CPU).saved_fraction == pytest.approx(-0.2)


def test_fit_prints_the_decision_and_writes_it_to_config_json(tmp_path, capsys):
    images, labels = datasets.load_arrays('mnist', 'test')
    results = chainvision.fit('lenet5', (images[:64], labels[:64]), out=str(tmp_path / 'run'),
                              iterations=2, batch_size=32, device='cpu', progress=False)
    assert 'compile: off (2 iterations take about ' in capsys.readouterr().out
    with open(os.path.join(results['out'], 'config.json')) as f:
        assert json.load(f)['compile'] is False
