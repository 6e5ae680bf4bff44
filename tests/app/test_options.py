"""The options table: fit()'s checks, the resolution order, resume's frozen
values and the flags of ``chainvision train``, all generated from it."""

import argparse
import dataclasses
import json

import pytest
import torch

from chainvision.app import machine, options
from chainvision.cli import train as train_cli


@pytest.mark.parametrize('name, value, message', [
    ('epochs', 0, 'epochs must be > 0, got 0.'),
    ('iterations', 0, 'iterations must be >= 1, got 0.'),
    ('batch_size', 1.5, 'batch_size must be an integer, got 1.5.'),
    ('batch_size', 0, 'batch_size must be >= 1, got 0.'),
    ('optimizer', 'lamb', "optimizer must be one of sgd, momentum_sgd, nesterov, adam, adamw, "
                          "rmsprop, adagrad, nesterov_sgdw, muon, got 'lamb'."),
    ('lr', -0.1, 'lr must be > 0, got -0.1.'),
    ('momentum', 1.5, 'momentum must be in [0, 1], got 1.5.'),
    ('schedule', 'step', "schedule must be one of constant, multistep, cosine, one-cycle, "
                         "linear, got 'step'."),
    ('tta', 'rotate', "tta must be one of none, flip, flip-shift, got 'rotate'."),
    ('patch_whitening', -1, 'patch_whitening must be >= 0, got -1.'),
    ('param_hyperparams', [1], 'param_hyperparams must be a dict, got [1].'),
    ('milestones', [0.5, 2], 'milestones must be fractions of the run, in [0, 1], got [0.5, 2].'),
    ('warmup_iterations', -1, 'warmup_iterations must be >= 0, got -1.'),
    ('normalize', 'zca', "normalize must be one of mean-std, pixel-mean, none, pretrained, got 'zca'."),
    ('precision', 'fp8', "precision must be one of fp32, bf16, fp16, got 'fp8'."),
    ('budget', 0, 'budget must be in (0, 1], got 0.'),
    ('channels_last', 'yes', "channels_last must be True or False, got 'yes'."),
    ('threads', 0, 'threads must be >= 1, got 0.'),
])
def test_a_bad_value_is_refused_naming_the_option(name, value, message):
    with pytest.raises(ValueError) as error:
        options.resolve('lenet5', 'mnist', None, {name: value})
    assert str(error.value) == message


def test_a_bad_augmentation_or_device_says_what_is_expected():
    with pytest.raises(ValueError, match=r"^augment must be an augmentation spec \(.*crop4"):
        options.resolve('lenet5', 'mnist', None, {'augment': 'crop4,zoom'})
    with pytest.raises(ValueError, match="^device must be a device: 'auto', 'cpu'"):
        options.resolve('lenet5', 'mnist', None, {'device': 'tpu9'})


def test_unknown_option_is_a_type_error_listing_the_valid_ones():
    with pytest.raises(TypeError, match=r'unknown options learning_rate; valid options: '
                                        r'augment, batch_size, budget'):
        options.resolve('lenet5', 'mnist', None, {'learning_rate': 0.1})


def test_every_default_is_resolved_into_plain_values():
    config = options.resolve(None, 'arrays', None, {'device': 'cpu'})
    assert set(config) == set(options.OPTION) | {'model', 'dataset', 'recipe'}
    # The machine-dependent defaults, resolved on the CPU; compile is decided
    # when the run starts, from its length.
    cpu = torch.device('cpu')
    assert (config['precision'], config['channels_last'], config['compile']) == (
        machine.fast_precision(cpu), True, None)
    json.dumps(config)          # what config.json holds


def test_a_machine_default_is_a_function_of_the_device_and_explicit_values_beat_it(
        monkeypatch):
    seen = []

    def bf16_on_cpu(device):
        seen.append(device.type)
        return 'bf16' if device.type == 'cpu' else 'fp32'

    table = tuple(dataclasses.replace(o, default=options.ByMachine(bf16_on_cpu, 'bf16 on CPU'))
                  if o.name == 'precision' else o for o in options.OPTIONS)
    monkeypatch.setattr(options, 'OPTIONS', table)
    assert options.resolve('lenet5', 'mnist', None, {'device': 'cpu'})['precision'] == 'bf16'
    assert seen == ['cpu']
    explicit = options.resolve('lenet5', 'mnist', None, {'device': 'cpu', 'precision': 'fp16'})
    assert explicit['precision'] == 'fp16'


def test_naming_epochs_drops_the_recipes_iterations():
    config = options.resolve('resnet20', 'cifar10', 'he2016-cifar', {'epochs': 2})
    assert (config['epochs'], config['iterations']) == (2, None)
    with pytest.raises(ValueError, match='Give exactly one of epochs and iterations'):
        options.resolve('resnet20', 'cifar10', None, {'epochs': 2, 'iterations': 5})


@pytest.fixture
def stopped_run(tmp_path):
    """A run folder as a stopped run leaves it, resolved on another machine
    (bf16, channels-last on a GPU)."""
    config = options.resolve('lenet5', 'mnist', None, {'device': 'cpu'})
    config.update(precision='bf16', channels_last=True, device='cuda')
    (tmp_path / 'config.json').write_text(json.dumps(config))
    (tmp_path / 'snapshot').write_bytes(b'')
    return tmp_path


def test_resume_keeps_the_frozen_options_and_changes_only_resumable_ones(stopped_run):
    config = options.resume(str(stopped_run), {'device': 'cpu', 'threads': 2,
                                               'progress': False, 'lr': None})
    assert (config['precision'], config['channels_last']) == ('bf16', True)
    assert (config['device'], config['threads'], config['progress']) == ('cpu', 2, False)
    # Giving a frozen option its frozen value is no change.
    assert options.resume(str(stopped_run), {'lr': 0.01, 'milestones': (0.5, 0.75)})['lr'] == 0.01
    with pytest.raises(ValueError, match='batch_size, lr may not change .only device, '
                                         'progress, threads, verify may'):
        options.resume(str(stopped_run), {'lr': 0.5, 'batch_size': 8})
    with pytest.raises(ValueError, match='threads must be >= 1, got 0'):
        options.resume(str(stopped_run), {'threads': 0})


def test_resume_of_an_older_run_gives_options_added_since_their_defaults(stopped_run):
    config = json.loads((stopped_run / 'config.json').read_text())
    del config['verify'], config['weights_format']
    (stopped_run / 'config.json').write_text(json.dumps(config))
    resumed = options.resume(str(stopped_run))
    assert (resumed['verify'], resumed['weights_format']) == (False, 'pt')
    assert resumed['precision'] == 'bf16'


def test_resume_without_a_snapshot_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match='has no snapshot'):
        options.resume(str(tmp_path))


def _train_parser():
    parser = argparse.ArgumentParser()
    train_cli.register(parser.add_subparsers())
    return parser


def test_train_flags_come_from_the_table():
    args = _train_parser().parse_args([
        'train', 'lenet5', '--dataset', 'mnist', '--epochs', '3', '--lr', '0.05',
        '--milestones', '0.3', '0.6', '--warmup', '5', '--no-progress', '--channels-last',
        '--optimizer', 'adamw', '--val-split', '100'])
    assert options.given(args) == {
        'epochs': 3, 'lr': 0.05, 'milestones': [0.3, 0.6], 'warmup_iterations': 5,
        'progress': False, 'channels_last': True, 'optimizer': 'adamw', 'val_split': 100}
    assert isinstance(options.given(args)['epochs'], int)
    assert options.given(_train_parser().parse_args(['train', '--epochs', '0.5'])) == {
        'epochs': 0.5}
    flags = {o.cli_flag for o in options.OPTIONS if o.command_line}
    help_text = _train_parser()._subparsers._group_actions[0].choices['train'].format_help()
    assert all(flag in help_text for flag in flags)


def test_the_machine_dependent_switches_have_both_spellings():
    def given(*argv):
        return options.given(_train_parser().parse_args(['train', 'lenet5', *argv]))
    assert given('--no-channels-last', '--no-compile') == {'channels_last': False,
                                                           'compile': False}
    assert given('--compile', '--precision', 'fp32') == {'compile': True, 'precision': 'fp32'}
    assert given() == {}     # not given: the machine's default applies


@pytest.mark.parametrize('argv', [
    ['--epochs', '2', '--iterations', '5'],       # one length only
    ['--optimizer', 'lamb'],                      # choices from the table
    ['--batch-size', 'many'],                     # types from the table
])
def test_train_refuses_bad_flags(argv, capsys):
    with pytest.raises(SystemExit):
        _train_parser().parse_args(['train', 'lenet5', '--dataset', 'mnist', *argv])


def test_other_commands_share_the_tables_flags_with_its_defaults():
    from chainvision.cli.main import build_parser
    parser = build_parser()
    evaluation = parser.parse_args(['eval', 'runs/x'])
    assert (evaluation.eval_batch_size, evaluation.device) == (1000, 'auto')
    assert parser.parse_args(['eval', 'runs/x', '--batch-size', '50']).eval_batch_size == 50
    reproduce = parser.parse_args(['reproduce', 'he2016-cifar'])
    assert (reproduce.budget, reproduce.device, reproduce.progress) == (1., 'auto', True)
    reproduce = parser.parse_args(['reproduce', 'he2016-cifar', '--budget', '0.01',
                                   '--no-progress', '--device', 'cpu'])
    assert (reproduce.budget, reproduce.device, reproduce.progress) == (0.01, 'cpu', False)
    assert parser.parse_args(['predict', 'runs/x', 'a.png']).device == 'auto'


@pytest.mark.parametrize('command', [['eval', 'runs/x'], ['predict', 'runs/x', 'a.png']])
def test_eval_and_predict_take_the_inference_precisions_default_auto(command):
    from chainvision import models
    from chainvision.cli.main import build_parser
    parser = build_parser()
    assert parser.parse_args(command).precision == 'auto'
    assert models.PRECISIONS == ('auto',) + options.OPTION['precision'].choices
    for precision in models.PRECISIONS:
        assert parser.parse_args(command + ['--precision', precision]).precision == precision


def test_eval_and_predict_hand_the_precision_on(monkeypatch, capsys):
    from chainvision.cli import eval as eval_cli
    from chainvision.cli import predict as predict_cli
    from chainvision.cli.main import main
    given = {}

    def evaluate(*args):
        given['eval'] = args[-1]
        return {'class_names': ['a'], 'dataset': 'd'}, torch.ones(1, 1, dtype=torch.int64)

    def predict(*args):
        given['predict'] = args[-1]
        return [[('a', 1.)]]
    monkeypatch.setattr(eval_cli, 'evaluate', evaluate)
    monkeypatch.setattr(eval_cli, 'plot_confusion_matrix', lambda *args: False)
    monkeypatch.setattr(predict_cli, 'predict', predict)
    assert main(['eval', 'runs/x', '--precision', 'fp16']) == 0
    assert main(['predict', 'runs/x', 'a.png', '--precision', 'bf16']) == 0
    assert given == {'eval': 'fp16', 'predict': 'bf16'}
