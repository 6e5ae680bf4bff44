"""``chainvision reproduce``: the table beside the published figures, and
picking up where it stopped (the training itself is replaced by a stand-in
that returns known accuracies: a real recipe takes hours)."""

import json
import os

import pytest

from chainvision.cli import main as cli_main
from chainvision.app import reproduce as reproduce_module

# Stand-in test accuracies per (model, seed).
ACCURACIES = {('resnet20', 0): 0.9100, ('resnet20', 1): 0.9140,
              ('resnet32', 0): 0.9200, ('resnet32', 1): 0.9260}


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
        results = {'test_accuracy': ACCURACIES[model, seed]}
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, 'results.json'), 'w') as f:
            json.dump(results, f)
        return results


@pytest.fixture
def fake_fit(monkeypatch):
    fake = FakeFit()
    monkeypatch.setattr(reproduce_module, 'fit', fake)
    return fake


def test_table_gives_mean_and_std_beside_the_paper(tmp_path, fake_fit, capsys):
    out = tmp_path / 'he'
    assert cli_main.main(['reproduce', 'he2016-cifar', '--models', 'resnet20', 'resnet32',
                          '--seeds', '2', '--out', str(out), '--no-progress']) == 0
    table = (out / 'results.md').read_text()
    # resnet20: 91.00 and 91.40 -> mean 91.20, sample std 0.2828; paper 91.25.
    assert '| resnet20 | 2 | 91.20 ± 0.28 % | 91.25 % | -0.05 |' in table
    # resnet32: 92.00 and 92.60 -> 92.30 ± 0.42; paper 92.49.
    assert '| resnet32 | 2 | 92.30 ± 0.42 % | 92.49 % | -0.19 |' in table
    assert 'not comparable' not in table
    assert table in capsys.readouterr().out
    assert fake_fit.calls == [('resnet20', 0, False), ('resnet20', 1, False),
                              ('resnet32', 0, False), ('resnet32', 1, False)]
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


def test_a_budget_run_goes_to_its_own_folder_and_says_so(tmp_path, fake_fit, monkeypatch):
    monkeypatch.chdir(tmp_path)
    reproduce_module.reproduce('he2016-cifar', ['resnet20'], budget=0.01)
    table = (tmp_path / 'reproduce' / 'he2016-cifar-budget0.01' / 'results.md').read_text()
    assert 'Shortened run: 0.01 of the schedule; not comparable with the paper.' in table
