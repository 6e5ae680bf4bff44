"""Trainer extensions on the toy problem of conftest.py."""

import io
import json
import math
import os

import numpy
import pytest
import torch

import chainvision
import chainvision.links as L
from chainvision import iterators, optimizers, training
from chainvision.training import extensions


def _lr_history(tmp_path, make_trainer, shift, iterations=6):
    history = []

    def extend(trainer, model):
        trainer.extend(shift, trigger=(1, 'iteration'))
        trainer.extend(lambda t: history.append(
            t.updater.get_optimizer('main').lr), name='record',
            priority=-1)

    trainer, _ = make_trainer(tmp_path, stop=(iterations, 'iteration'), extend=extend)
    trainer.run()
    return history


@pytest.mark.parametrize('shift, expected', [
    (lambda: extensions.ExponentialShift('lr', 0.5, target=0.01),
     [0.05, 0.025, 0.0125, 0.01, 0.01, 0.01]),
    (lambda: extensions.StepShift('lr', 0.1, 2), [0.1, 0.01, 0.01, 0.001, 0.001, 1e-4]),
    (lambda: extensions.LinearShift('lr', (0.1, 0.4), (1, 4)),
     [0.1, 0.2, 0.3, 0.4, 0.4, 0.4]),
    (lambda: extensions.MultistepShift('lr', 0.1, [2, 5], 0.2),
     [0.2, 0.02, 0.02, 0.02, 0.002, 0.002]),
    # WarmupShift leaves the value alone after its ramp (for a later schedule)
    (lambda: extensions.WarmupShift('lr', 0.0, 4, 0.2), [0.05, 0.1, 0.15, 0.2, 0.2, 0.2]),
])
def test_shift_values_follow_chainers_formulas(tmp_path, make_trainer, shift, expected):
    history = _lr_history(tmp_path, make_trainer, shift())
    numpy.testing.assert_allclose(history, expected, rtol=1e-12)


def test_log_report_writes_interval_means_as_json(tmp_path, make_trainer):
    def extend(trainer, model):
        trainer.extend(extensions.LogReport(trigger=(2, 'iteration')))

    trainer, _ = make_trainer(tmp_path, stop=(4, 'iteration'), extend=extend)
    losses = []
    trainer.extend(lambda t: losses.append(float(t.observation['main/loss'])), name='spy')
    trainer.run()
    log = json.loads((tmp_path / 'log').read_text())
    assert [e['iteration'] for e in log] == [2, 4]
    assert log[0]['main/loss'] == pytest.approx((losses[0] + losses[1]) / 2)
    assert set(log[0]) == {'main/loss', 'main/accuracy', 'epoch', 'iteration', 'elapsed_time'}


def test_print_report_prints_chainers_table(tmp_path, make_trainer):
    out = io.StringIO()

    def extend(trainer, model):
        trainer.extend(extensions.LogReport(trigger=(1, 'iteration'), log_name=None))
        trainer.extend(extensions.PrintReport(['iteration', 'main/loss', 'missing'], out=out))

    trainer, _ = make_trainer(tmp_path, stop=(2, 'iteration'), extend=extend)
    trainer.run()
    lines = out.getvalue().splitlines()
    assert lines[0] == 'iteration   main/loss   missing   '
    loss = trainer.get_extension('LogReport').log[1]['main/loss']
    assert lines[2] == '{:<10g}  {:<10g}  {}'.format(2, loss, ' ' * 12)
    assert not (tmp_path / 'log').exists()


def test_evaluator_reports_validation_means_in_inference_mode(tmp_path, make_trainer, toy):
    test_iter = iterators.SerialIterator(toy(20, seed=1), 8, repeat=False, shuffle=False)
    seen = []

    def extend(trainer, model):
        def eval_hook(evaluator):
            seen.append('hook')

        trainer.extend(extensions.Evaluator(test_iter, model, eval_hook=eval_hook),
                       trigger=(2, 'iteration'))

    trainer, model = make_trainer(tmp_path, stop=(2, 'iteration'), extend=extend)
    trainer.run()
    observed = trainer.observation
    # Batches of 8, 8, 4 count equally (Chainer's rule); dropout is off.
    with chainvision.using_config('train', False), torch.no_grad():
        means = []
        for start in (0, 8, 16):
            x, t = zip(*[toy(20, seed=1)[i] for i in range(start, min(start + 8, 20))])
            means.append(float(model(numpy.stack(x), numpy.array(t))))
    assert observed['validation/main/loss'] == pytest.approx(sum(means) / 3, rel=1e-6)
    assert 'validation/main/accuracy' in observed and seen == ['hook']
    assert model.training  # eval mode was only for the evaluation


def test_evaluator_warns_about_a_repeating_iterator(toy):
    with pytest.warns(UserWarning, match='repeat'):
        extensions.Evaluator(iterators.SerialIterator(toy(), 8), L.Classifier(L.Linear(5, 3)))


def test_fail_on_nonnumber_names_the_iteration_and_keeps_the_last_good_snapshot(
        tmp_path, make_trainer):
    def extend(trainer, model):
        trainer.extend(extensions.FailOnNonNumber())
        trainer.extend(extensions.snapshot(snapshot_on_error=True), trigger=(1, 'iteration'))

        def explode_the_learning_rate(trainer):
            if trainer.updater.iteration == 2:
                trainer.updater.get_optimizer('main').lr = 1e30

        trainer.extend(explode_the_learning_rate)

    trainer, _ = make_trainer(tmp_path, stop=(50, 'iteration'), extend=extend)
    with pytest.raises(RuntimeError, match=r'diverged at iteration \d+: .*lower'):
        trainer.run(show_loop_exception_msg=False)
    failed_at = trainer.updater.iteration
    assert 2 < failed_at < 50
    names = sorted(os.listdir(tmp_path))
    assert names[-1] == 'snapshot_iter_{}'.format(failed_at - 1)
    for name in names:
        with numpy.load(tmp_path / name) as npz:
            assert numpy.isfinite(npz['updater/model:main/predictor/l1/W']).all(), name


def test_observe_lr_and_micro_average(tmp_path, make_trainer):
    def extend(trainer, model):
        trainer.extend(extensions.observe_lr(), trigger=(1, 'iteration'))

        @training.make_extension(trigger=(1, 'iteration'), priority=training.PRIORITY_WRITER)
        def counts(trainer):
            trainer.observation['correct'] = 3
            trainer.observation['total'] = 4 if trainer.updater.iteration == 1 else 6

        trainer.extend(counts)
        trainer.extend(extensions.MicroAverage('correct', 'total', 'micro',
                                               trigger=(2, 'iteration')))

    trainer, _ = make_trainer(tmp_path, stop=(2, 'iteration'), extend=extend)
    trainer.run()
    assert trainer.observation['lr'] == 0.1
    assert trainer.observation['micro'] == pytest.approx(6 / 10)


def test_parameter_statistics_reports_chainers_keys(tmp_path, make_trainer):
    def extend(trainer, model):
        trainer.extend(extensions.ParameterStatistics(model.predictor.l2, trigger=(1, 'iteration'),
                                                      prefix='stats'))

    trainer, model = make_trainer(tmp_path, stop=(1, 'iteration'), extend=extend)
    trainer.run()
    observed = trainer.observation
    weight = model.predictor.l2.W.detach().numpy()
    assert observed['stats/None/W/data/mean'] == pytest.approx(weight.mean(), rel=1e-5)
    assert observed['stats/None/W/data/std'] == pytest.approx(weight.std(), rel=1e-5)
    assert observed['stats/None/b/grad/zeros'] == 0
    assert observed['stats/None/W/data/percentile/3'] == pytest.approx(
        numpy.percentile(weight, 50), rel=1e-5)
    assert 'stats/None/W/data/percentile/6' in observed


def test_extend_names_priorities_and_call_before_training(tmp_path, make_trainer):
    calls = []
    trainer, _ = make_trainer(tmp_path, stop=(1, 'iteration'))
    trainer.extend(lambda t: calls.append('reader'), name='x')
    trainer.extend(lambda t: calls.append('writer'), name='x', priority=training.PRIORITY_WRITER,
                   call_before_training=True)
    assert trainer.get_extension('x_1') is not None
    with pytest.raises(ValueError, match='prohibited'):
        trainer.extend(lambda t: None, name='training')
    with pytest.raises(ValueError, match='not found'):
        trainer.get_extension('nope')
    trainer.run()
    assert calls == ['writer', 'writer', 'reader']
    with pytest.raises(RuntimeError, match='multiple times'):
        trainer.run()


def test_progress_bar_shows_progress_and_speed(tmp_path, make_trainer):
    out = io.StringIO()

    def extend(trainer, model):
        trainer.extend(extensions.ProgressBar(update_interval=2, out=out))

    trainer, _ = make_trainer(tmp_path, stop=(4, 'iteration'), extend=extend)
    trainer.run()
    text = out.getvalue()
    assert '     total [' + '#' * 25 + '.' * 25 + '] 50.00%' in text
    assert '4 iter, 0 epoch / 4 iterations' in text and 'iters/sec' in text


def test_plot_report_draws_a_png(tmp_path, make_trainer):
    pytest.importorskip('matplotlib')

    def extend(trainer, model):
        trainer.extend(extensions.PlotReport(['main/loss'], 'iteration', trigger=(2, 'iteration'),
                                             file_name='loss.png'))

    trainer, _ = make_trainer(tmp_path, stop=(4, 'iteration'), extend=extend)
    trainer.run()
    assert (tmp_path / 'loss.png').read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'
    assert [x for x, _ in trainer.get_extension('PlotReport').data['main/loss']] == [2, 4]


def test_adam_observe_lr_is_alpha_t(tmp_path, toy):
    model = L.Classifier(L.Linear(5, 3))
    optimizer = optimizers.Adam(alpha=0.01).setup(model)
    updater = training.updaters.StandardUpdater(iterators.SerialIterator(toy(), 8), optimizer)
    trainer = training.Trainer(updater, (2, 'iteration'), out=str(tmp_path))
    trainer.extend(extensions.observe_lr(), trigger=(1, 'iteration'))
    trainer.run()
    assert trainer.observation['lr'] == pytest.approx(
        0.01 * math.sqrt(1 - 0.999 ** 2) / (1 - 0.9 ** 2))


def test_make_extension_keeps_a_zero_priority_and_its_trigger():
    @training.make_extension(trigger=(2, 'epoch'), priority=0)
    def noop(trainer):
        pass

    assert (noop.priority, noop.trigger, noop.default_name) == (0, (2, 'epoch'), 'noop')


def test_progress_bar_asks_for_the_length_when_the_stop_trigger_cannot_tell(tmp_path, toy):
    model = L.Classifier(L.Linear(5, 3))
    updater = training.updaters.StandardUpdater(iterators.SerialIterator(toy(), 8),
                                                optimizers.SGD().setup(model))
    trainer = training.Trainer(updater, lambda t: t.updater.iteration >= 2, out=str(tmp_path))
    trainer.extend(extensions.ProgressBar(update_interval=1, out=io.StringIO()))
    with pytest.raises(TypeError, match='training_length'):
        trainer.run(show_loop_exception_msg=False)


def test_unchain_variables_detaches_reports_kept_with_their_graph(tmp_path, make_trainer):
    seen = []

    def record(trainer):
        seen.append({key: value.grad_fn is not None for key, value in trainer.observation.items()
                     if key == 'main/loss'})

    for unchain in (False, True):
        trainer, _ = make_trainer(tmp_path / str(unchain), stop=(2, 'iteration'))
        if unchain:
            trainer.extend(extensions.unchain_variables())
        trainer.extend(record, name='record', priority=-1)  # after unchain_variables (0)
        with chainvision.using_config('keep_graph_on_report', True):
            trainer.run()
    assert seen == [{'main/loss': True}] * 2 + [{'main/loss': False}] * 2
    assert extensions.dump_graph is extensions.DumpGraph
