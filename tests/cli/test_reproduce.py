"""``chainvision reproduce``: the table beside the published figures, and
picking up where it stopped (the training itself is replaced by a stand-in
that returns known accuracies: a real recipe takes hours; the test of
``--jobs`` trains real runs of a few iterations)."""

import json
import os

import pytest
import torch

from chainvision.cli import main as cli_main
from chainvision.app import reproduce as reproduce_module
from chainvision.app.workers import WorkerDied

# Stand-in test accuracies per (model, seed).
ACCURACIES = {('resnet20', 0): 0.9100, ('resnet20', 1): 0.9140, ('resnet20', 2): 0.9130,
              ('resnet32', 0): 0.9200, ('resnet32', 1): 0.9260, ('resnet32', 2): 0.9150,
              ('resnet110', 0): 0.9316, ('resnet110', 1): 0.9336, ('resnet110', 2): 0.9326}


class FakeFit:
    """Records its calls and writes results.json as a finished fit would."""

    def __init__(self):
        self.calls = []

    def __call__(self, model, dataset, out, resume=False, **options):
        self.calls.append((model, options.get('seed'), resume))
        if resume:
            with open(os.path.join(out, 'config.json')) as f:
                config = json.load(f)
            model, seed = config['model'], config['seed']
        else:
            seed = options['seed']
        # Seed k's run took k + 1 minutes.
        results = {'test_accuracy': ACCURACIES[model, seed], 'total_time_s': 60. * (seed + 1)}
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, 'results.json'), 'w') as f:
            json.dump(results, f)
        return results


@pytest.fixture
def fake_fit(monkeypatch):
    fake = FakeFit()
    monkeypatch.setattr(reproduce_module, 'fit', fake)
    return fake


def test_table_gives_mean_std_min_and_verdict_beside_the_paper(tmp_path, fake_fit, capsys):
    out = tmp_path / 'he'
    assert cli_main.main(['reproduce', 'he2016-cifar', '--models', 'resnet20', 'resnet32',
                          'resnet110', '--seeds', '3', '--out', str(out), '--no-progress']) == 0
    table = (out / 'results.md').read_text()
    # resnet20: 91.00, 91.40, 91.30 -> mean 91.233, sample std 0.208; paper 91.25:
    # within 0.3 points.  The runs took 1, 2 and 3 minutes.
    assert ('| resnet20 | 3 | 91.23 ± 0.21 % | 91.00 % | 91.25 % | -0.02 | yes '
            '| 2.0 min (max 3.0) |') in table
    # resnet32: 92.00, 92.60, 91.50 -> 92.033 ± 0.551; paper 92.49: 0.46 below.
    assert '| resnet32 | 3 | 92.03 ± 0.55 % | 91.50 % | 92.49 % | -0.46 | no |' in table
    # resnet110: 93.16, 93.36, 93.26 -> 93.26; paper 93.57 ± 0.16: 0.31 below, more
    # than 0.3 points but within two standard deviations (0.32).
    assert '| resnet110 | 3 | 93.26 ± 0.10 % | 93.16 % | 93.57 ± 0.16 % | -0.31 | yes |' in table
    assert 'within 0.3 points of the published figure, or within two standard' in table
    assert 'Machine: CPU: ' in table and 'Commit: ' in table
    assert 'not comparable' not in table.lower()
    assert table in capsys.readouterr().out
    assert fake_fit.calls == [(model, seed, False) for model in ('resnet20', 'resnet32',
                                                                  'resnet110')
                              for seed in range(3)]
    pytest.importorskip('matplotlib')
    from PIL import Image
    with Image.open(out / 'results.png') as image:
        assert image.format == 'PNG'


def test_finished_runs_are_skipped_and_stopped_ones_resumed(tmp_path, fake_fit):
    out = tmp_path / 'he'
    reproduce_module.reproduce('he2016-cifar', ['resnet20'], seeds=1, out=str(out))
    stopped = out / 'resnet20-seed1'
    os.makedirs(stopped)
    (stopped / 'snapshot').write_bytes(b'')
    (stopped / 'config.json').write_text(json.dumps({'model': 'resnet20', 'seed': 1}))
    fake_fit.calls.clear()
    accuracies = reproduce_module.reproduce('he2016-cifar', ['resnet20'], seeds=2,
                                            out=str(out))
    assert fake_fit.calls == [(None, None, True)]
    assert accuracies == {'resnet20': [0.9100, 0.9140]}
    table = (out / 'results.md').read_text()
    assert '| resnet20 | 2 | 91.20 ± 0.28 % | 91.00 % | 91.25 % | -0.05 | not comparable |' in (
        table)
    assert 'Not comparable with the paper:\n- resnet20: 2 seeds, fewer than 3.' in table


def test_the_table_covers_every_finished_run_in_the_folder(tmp_path, fake_fit):
    """A later call for another model (or fewer seeds) keeps the earlier
    runs' rows, in the recipe's order; only what was asked for is trained
    and returned."""
    out = tmp_path / 'he'
    reproduce_module.reproduce('he2016-cifar', ['resnet32'], seeds=3, out=str(out))
    fake_fit.calls.clear()
    accuracies = reproduce_module.reproduce('he2016-cifar', ['resnet20'], seeds=1, out=str(out))
    assert fake_fit.calls == [('resnet20', 0, False)]
    assert accuracies == {'resnet20': [0.9100]}
    table = (out / 'results.md').read_text()
    rows = [line.split(' | ')[0] for line in table.splitlines() if line.startswith('| resnet')]
    assert rows == ['| resnet20', '| resnet32']
    assert '| resnet32 | 3 | 92.03 ± 0.55 % | 91.50 % | 92.49 % | -0.46 | no |' in table
    assert '- resnet20: 1 seed, fewer than 3.' in table


def test_a_budget_run_goes_to_its_own_folder_and_says_so(tmp_path, fake_fit, monkeypatch):
    monkeypatch.chdir(tmp_path)
    reproduce_module.reproduce('he2016-cifar', ['resnet20'], budget=0.01)
    table = (tmp_path / 'reproduce' / 'he2016-cifar-budget0.01' / 'results.md').read_text()
    assert 'Smoke test: 0.01 of the schedule; not comparable with the paper.' in table
    assert ('- resnet20: a smoke test of 0.01 of the schedule (--budget); 1 seed, fewer '
            'than 3.') in table


@pytest.mark.parametrize('mean, published, std, reproduced', [
    (91.0, 91.3, None, True), (91.0, 91.31, None, False), (91.6, 91.3, None, True),
    (93.26, 93.57, 0.16, True), (93.24, 93.57, 0.16, False), (93.3, 93.5, 0.05, True)])
def test_the_rule_is_0_3_points_or_two_published_standard_deviations(mean, published, std,
                                                                     reproduced):
    assert reproduce_module.is_reproduced(mean, published, std) is reproduced


def test_publish_copies_tables_curves_and_logs_of_finished_runs_but_no_checkpoint(tmp_path, fake_fit):
    out, dest = tmp_path / 'he', tmp_path / 'results'
    reproduce_module.reproduce('he2016-cifar', ['resnet20'], seeds=1, out=str(out))
    run = out / 'resnet20-seed0'
    for name in ('log.jsonl', 'config.json', 'accuracy.png', 'last.pt', 'best.pt', 'snapshot'):
        (run / name).write_bytes(b'x')
    # A run still in progress (no results.json) stays behind.
    (out / 'resnet20-seed1').mkdir()
    for name in ('log.jsonl', 'config.json', 'accuracy.png'):
        (out / 'resnet20-seed1' / name).write_bytes(b'x')
    assert cli_main.main(['reproduce', 'he2016-cifar', '--models', 'resnet20', '--out',
                          str(out), '--publish', str(dest), '--no-progress']) == 0
    copied = sorted(str(p.relative_to(dest)) for p in dest.rglob('*') if p.is_file())
    expected = ['resnet20-seed0/accuracy.png', 'resnet20-seed0/config.json',
                'resnet20-seed0/log.jsonl', 'resnet20-seed0/results.json', 'results.md']
    if (out / 'results.png').exists():
        expected.append('results.png')
    assert copied == sorted(expected)


def test_each_run_says_how_many_are_left_and_about_how_long(tmp_path, fake_fit, capsys):
    reproduce_module.reproduce('he2016-cifar', ['resnet20', 'resnet32'], seeds=2,
                               out=str(tmp_path / 'he'))
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith('[')]
    assert lines[0] == '[1/4] time left: known after the first run'
    assert [line.split('] ')[0] for line in lines] == ['[1/4', '[2/4', '[3/4', '[4/4']
    assert lines[3].endswith(' s left (3 of 4 runs done)')
    assert reproduce_module.time_left([600., 660.], 6) == 'about 42 min left (2 of 6 runs done)'
    assert reproduce_module.time_left([30.], 3) == 'about 60 s left (1 of 3 runs done)'


def test_one_run_to_train_needs_no_worker_process(tmp_path, fake_fit, capsys):
    # --jobs counts at most the runs left; the stand-in fit is only seen in this process.
    reproduce_module.reproduce('he2016-cifar', ['resnet20'], seeds=2, out=str(tmp_path / 'he'))
    (tmp_path / 'he' / 'resnet20-seed1' / 'results.json').unlink()
    fake_fit.calls.clear()
    reproduce_module.reproduce('he2016-cifar', ['resnet20'], seeds=2, out=str(tmp_path / 'he'),
                               jobs=4)
    assert fake_fit.calls == [('resnet20', 1, False)]
    assert 'at a time' not in capsys.readouterr().out


def test_jobs_train_runs_at_once_in_their_own_processes(tmp_path, capsys):
    # Real (tiny) runs: the stand-in fit does not reach spawned processes.
    out = tmp_path / 'lenet'
    accuracies = reproduce_module.reproduce('lenet5-mnist', seeds=2, budget=0.001, out=str(out),
                                            device='cpu', progress=False, jobs=2)
    assert len(accuracies['lenet5']) == 2 and all(0 <= a <= 1 for a in accuracies['lenet5'])
    printed = capsys.readouterr().out
    assert '2 runs, 2 at a time ({} CPU threads each)'.format(
        max(1, torch.get_num_threads() // 2)) in printed
    done = sorted(line.split('] ')[1].split(' done')[0] for line in printed.splitlines()
                  if line.startswith('['))
    assert done == ['lenet5 seed 0', 'lenet5 seed 1']
    for seed in (0, 1):
        # Each run's own output went to its log, not to this process's.
        assert 'Training lenet5 (seed {})'.format(seed) in (
            out / 'lenet5-seed{}.log'.format(seed)).read_text()
        with open(out / 'lenet5-seed{}'.format(seed) / 'config.json') as f:
            assert json.load(f)['threads'] == max(1, torch.get_num_threads() // 2)
    assert 'Training lenet5' not in printed
    assert '| lenet5 | 2 |' in (out / 'results.md').read_text()
    with pytest.raises(ValueError, match='--jobs must be at least 1'):
        reproduce_module.reproduce('lenet5-mnist', out=str(out), jobs=0)


def test_a_worker_killed_mid_run_says_which_runs_and_how_to_resume(tmp_path, monkeypatch):
    class PoolWhoseWorkerDies:
        def __init__(self, jobs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc_info):
            return False

        def each_as_done(self, tasks):
            raise WorkerDied(list(tasks)[:2])
            yield

    monkeypatch.setattr(reproduce_module, 'worker_pool', PoolWhoseWorkerDies)
    with pytest.raises(RuntimeError) as error:
        reproduce_module.reproduce('he2016-cifar', models=['resnet20'], seeds=3, out=str(tmp_path),
                                   jobs=2)
    message = cli_main.describe(error.value, 'reproduce')
    assert message.startswith('a worker process ended abruptly (killed by a signal, or out of '
                              'memory) while training resnet20 seed 0 and resnet20 seed 1; ')
    assert 'run the same command again to resume' in message
    assert str(tmp_path / 'MODEL-seedK.log') in message and 'fewer --jobs' in message
