"""``chainvision train``, ``eval`` and ``predict`` on real MNIST."""

import json
import os

import pytest
import torch
from PIL import Image

from chainvision import datasets
from chainvision.cli.main import main
from chainvision.app.predict import predict
from chainvision.configuration import using_config
from chainvision.app import checkpoint as checkpoint_module


@pytest.fixture(scope='module')
def run(tmp_path_factory):
    threads = torch.get_num_threads()
    torch.set_num_threads(1)    # faster for LeNet-5, above all on a busy CPU
    out = tmp_path_factory.mktemp('cli') / 'run'
    status = main(['train', 'lenet5', '--dataset', 'mnist', '--iterations', '60',
                   '--batch-size', '64', '--val-split', '1000', '--device', 'cpu',
                   '--no-progress', '--out', str(out)])
    torch.set_num_threads(threads)
    assert status == 0
    return out


def test_train_prints_the_accuracies_and_where_the_results_are(run, capsys):
    with open(run / 'results.json') as f:
        results = json.load(f)
    main(['train', '--resume', str(run), '--no-progress'])   # already finished: re-reports
    printed = capsys.readouterr().out
    assert 'Test accuracy       {:.2%}'.format(results['test_accuracy']) in printed
    assert 'Results in {}'.format(run) in printed or 'Results in {}'.format(
        os.path.relpath(run)) in printed


def test_eval_reports_the_best_checkpoints_accuracy_per_class_and_a_picture(run, capsys):
    with open(run / 'results.json') as f:
        results = json.load(f)
    assert main(['eval', str(run), '--device', 'cpu']) == 0
    printed = capsys.readouterr().out
    assert 'Accuracy {:.2%} on mnist test (10000 images)'.format(
        results['best_test_accuracy']) in printed
    assert sum(line.strip().startswith(str(digit)) for line in printed.splitlines()
               for digit in range(10)) == 10
    pytest.importorskip('matplotlib')
    with Image.open(run / 'confusion_matrix.png') as image:
        assert image.format == 'PNG'


def test_predict_reads_image_files_like_the_training_pipeline(run, tmp_path, capsys):
    images, labels = datasets.load_arrays('mnist', 'test')
    paths = []
    for i in range(3):
        path = tmp_path / 'digit{}.png'.format(i)
        Image.fromarray(images[i, 0]).save(path)
        paths.append(str(path))
    # fp32: the fast form's probabilities within 1e-6 of the plain forward's.
    rankings = predict(str(run), paths, top_k=3, device='cpu', precision='fp32')
    checkpoint = checkpoint_module.load_checkpoint(run)
    model = checkpoint_module.model_from_checkpoint(checkpoint)
    loader = datasets.DeviceLoader(images[:3], labels[:3], 3, mean=checkpoint['mean'],
                                   std=checkpoint['std'], shuffle=False, repeat=False)
    x, _ = next(loader)
    with torch.no_grad(), using_config('train', False):
        expected = torch.softmax(model(x), dim=1)
    for ranking, row in zip(rankings, expected):
        assert len(ranking) == 3
        values, indices = row.topk(3)
        assert [name for name, _ in ranking] == [str(int(i)) for i in indices]
        assert [p for _, p in ranking] == pytest.approx(values.tolist(), abs=1e-6)
    assert main(['predict', str(run), paths[0], '--top-k', '2', '--device', 'cpu',
                 '--precision', 'fp32']) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == paths[0] and printed[1:] == [
        '  {:>7.2%}  {}'.format(p, name) for name, p in rankings[0][:2]]


def test_resume_refuses_options_that_would_change_the_run(run, capsys):
    assert main(['train', '--resume', str(run), '--epochs', '3', '--lr', '0.1',
                 '--warmup', '5']) == 2
    assert capsys.readouterr().err == (
        'chainvision: error: a resumed run keeps the options in its config.json; drop --epochs, '
        '--lr, --warmup (only --device, --no-progress, --threads, --verify may change)\n')


def test_train_without_a_dataset_says_what_is_missing(capsys):
    assert main(['train', 'lenet5']) == 2
    assert capsys.readouterr().err == ('chainvision: error: --dataset is missing; give a MODEL '
                                       'and --dataset (or --resume RUN)\n')
