"""A trainer resumed from its snapshot ends exactly where an uninterrupted
run ends: model, optimizer state, iterator position and shuffling, dropout
(torch RNG), schedules and the log."""

import os

import numpy
import pytest
import torch

import chainvision
from chainvision import serializers
from chainvision.training import extensions, triggers


def _extend(trainer, model):
    trainer.extend(extensions.ExponentialShift('lr', 0.7), trigger=(4, 'iteration'))
    trainer.extend(extensions.LogReport(trigger=(3, 'iteration')))
    trainer.extend(extensions.observe_lr(), trigger=(1, 'iteration'))
    trainer.extend(extensions.snapshot(autoload=True), trigger=(1, 'iteration'))


def _params(model):
    return {name: p.detach().clone() for name, p in model.namedparams()}


def test_resume_after_an_interruption_matches_an_uninterrupted_run(tmp_path, make_trainer):
    torch.manual_seed(1)
    numpy.random.seed(1)
    straight, straight_model = make_trainer(tmp_path / 'straight', extend=_extend)
    straight.run()

    torch.manual_seed(1)
    numpy.random.seed(1)
    first, _ = make_trainer(tmp_path / 'resumed', stop=(7, 'iteration'), extend=_extend)
    first.run()
    # Seeds differ now: only the snapshot can make the rest identical.
    torch.manual_seed(123)
    numpy.random.seed(123)
    second, resumed_model = make_trainer(tmp_path / 'resumed', extend=_extend)
    second.run()

    assert second.updater.iteration == straight.updater.iteration == 15
    expected = _params(straight_model)
    for name, value in _params(resumed_model).items():
        assert torch.equal(value, expected[name]), name
    optimizer = second.updater.get_optimizer('main')
    assert optimizer.lr == pytest.approx(straight.updater.get_optimizer('main').lr)
    strip = [{k: v for k, v in e.items() if k != 'elapsed_time'}
             for e in second.get_extension('LogReport').log]
    assert strip == [{k: v for k, v in e.items() if k != 'elapsed_time'}
                     for e in straight.get_extension('LogReport').log]


def test_snapshot_keys_follow_chainers_layout(tmp_path, make_trainer):
    trainer, _ = make_trainer(tmp_path, stop=(2, 'iteration'), extend=_extend)
    trainer.run()
    with numpy.load(tmp_path / 'snapshot_iter_2', allow_pickle=False) as npz:
        keys = set(npz.files)
    for key in ('updater/iteration', 'updater/iterator:main/current_position',
                'updater/optimizer:main/t', 'updater/optimizer:main/predictor/l1/W/v',
                'updater/model:main/predictor/l1/W', 'stop_trigger/previous_iteration',
                'extensions/ExponentialShift/_t', 'extensions/LogReport/_log',
                'extension_triggers/LogReport/previous_iteration', '_snapshot_elapsed_time',
                'random_state/torch', 'random_state/numpy_keys'):
        assert key in keys, key


def test_autoload_picks_the_newest_snapshot_and_ignores_temporary_files(tmp_path, make_trainer):
    first, _ = make_trainer(tmp_path, stop=(3, 'iteration'), extend=_extend)
    first.run()
    (tmp_path / '.snapshot_iter_9.tmp').write_bytes(b'partial')
    second, _ = make_trainer(tmp_path, stop=(4, 'iteration'), extend=_extend)
    second.run()
    assert second.updater.iteration == 4
    assert sorted(p for p in os.listdir(tmp_path) if p.startswith('snapshot')) == [
        'snapshot_iter_1', 'snapshot_iter_2', 'snapshot_iter_3', 'snapshot_iter_4']


def test_n_retains_keeps_only_the_newest(tmp_path, make_trainer):
    def extend(trainer, model):
        trainer.extend(extensions.snapshot(n_retains=2), trigger=(1, 'iteration'))
        trainer.extend(extensions.snapshot_object(model, 'model_{.updater.iteration}.npz'),
                       trigger=triggers.ManualScheduleTrigger([2], 'iteration'))

    trainer, model = make_trainer(tmp_path, stop=(5, 'iteration'), extend=extend)
    trainer.run()
    names = sorted(os.listdir(tmp_path))
    assert names == ['model_2.npz', 'snapshot_iter_4', 'snapshot_iter_5']
    loaded = chainvision.links.Classifier(type(model.predictor)())
    serializers.load_npz(tmp_path / 'model_2.npz', loaded)
    assert tuple(loaded.predictor.l1.W.shape) == (16, 5)


def test_snapshot_on_error_saves_before_the_error_propagates(tmp_path, make_trainer):
    def extend(trainer, model):
        trainer.extend(extensions.snapshot(snapshot_on_error=True), trigger=(100, 'epoch'))

        def explode(trainer):
            if trainer.updater.iteration == 3:
                raise KeyboardInterrupt

        trainer.extend(explode)

    trainer, _ = make_trainer(tmp_path, extend=extend)
    with pytest.raises(KeyboardInterrupt):
        trainer.run(show_loop_exception_msg=False)
    assert os.listdir(tmp_path) == ['snapshot_iter_3']
