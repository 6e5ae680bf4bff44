"""A checkpoint in each container (``.pt``, ``.safetensors``, Chainer's
``.npz``) reads back exactly, and ``train --weights-format`` writes the
run's best and last weights in it, which ``chainvision.load``, ``eval``
and ``predict`` read as they read ``best.pt``."""

import json

import numpy
import pytest
import torch
from PIL import Image

import chainvision
from chainvision import datasets, models
from chainvision.app import checkpoint
from chainvision.app.evaluate import evaluate
from chainvision.app.predict import predict
from chainvision.cli.main import build_parser, main
from chainvision.serializers import load_npz

DESCRIPTION = {'model': 'resnet20', 'model_kwargs': {}, 'class_names': list('abcdefghij'),
               'image_shape': [3, 32, 32], 'mean': [0.5, 0.4, 0.3], 'std': [0.2, 0.25, 0.3],
               'dataset': 'cifar10', 'iteration': 7, 'val_accuracy': 0.125}


pytestmark = pytest.mark.usefixtures('one_cpu_thread')


@pytest.mark.parametrize('suffix', ['.pt', '.safetensors', '.npz'])
def test_each_container_reads_back_exactly(suffix, tmp_path):
    torch.manual_seed(0)
    network = models.create('resnet20')
    path = tmp_path / ('best' + suffix)
    checkpoint.save_checkpoint(str(path), network, DESCRIPTION)
    saved = checkpoint.load_checkpoint(tmp_path)    # the run folder finds best.*
    assert {k: v for k, v in saved.items() if k not in ('state_dict', 'format')} == DESCRIPTION
    state = network.state_dict()
    assert set(state) <= set(saved['state_dict'])    # npz: with BatchNormalization's N
    rebuilt = checkpoint.model_from_checkpoint(saved)
    for key, value in rebuilt.state_dict().items():
        torch.testing.assert_close(value, state[key], rtol=0, atol=0, msg=key)
    assert not [name for name in tmp_path.iterdir() if name.name.endswith('.tmp')]


def test_safetensors_and_npz_are_what_their_own_readers_take(tmp_path):
    torch.manual_seed(0)
    network = models.create('resnet20')
    checkpoint.save_checkpoint(str(tmp_path / 'w.safetensors'), network, DESCRIPTION)
    from safetensors import safe_open
    with safe_open(str(tmp_path / 'w.safetensors'), 'pt') as f:
        assert json.loads(f.metadata()['chainvision_checkpoint'])['class_names'] == list(
            'abcdefghij')
        torch.testing.assert_close(f.get_tensor('fc.W'), network.fc.W.detach(), rtol=0, atol=0)
    checkpoint.save_checkpoint(str(tmp_path / 'w.npz'), network, DESCRIPTION)
    other = models.create('resnet20')
    load_npz(str(tmp_path / 'w.npz'), other)    # Chainer's layout, strict
    torch.testing.assert_close(other.stage3[2].conv2.W, network.stage3[2].conv2.W,
                               rtol=0, atol=0)
    with numpy.load(tmp_path / 'w.npz') as npz:
        assert 'bn1/N' in npz.files and 'stage1/0/conv1/W' in npz.files


def test_a_bare_safetensors_file_is_not_a_checkpoint(tmp_path):
    from safetensors.torch import save_file
    save_file({'conv1.W': torch.zeros(2)}, str(tmp_path / 'bare.safetensors'))
    with pytest.raises(ValueError, match='bare.safetensors is not a chainvision checkpoint'):
        checkpoint.load_checkpoint(tmp_path / 'bare.safetensors')


def test_the_flag_comes_from_the_options_table():
    args = build_parser().parse_args(['train', 'lenet5', '--weights-format', 'safetensors'])
    assert args.weights_format == 'safetensors'
    assert main(['train', 'lenet5', '--dataset', 'mnist', '--weights-format', 'h5']) == 2


@pytest.fixture(scope='module')
def safetensors_run(tmp_path_factory):
    out = tmp_path_factory.mktemp('run') / 'lenet'
    results = chainvision.fit('lenet5', 'mnist', out=str(out), iterations=4, batch_size=16,
                              val_split=100, log_interval=2, device='cpu', progress=False,
                              precision='fp32', weights_format='safetensors')
    return out, results


def test_train_writes_best_and_last_in_the_weights_format(safetensors_run):
    out, results = safetensors_run
    names = {path.name for path in out.iterdir()}
    assert {'best.safetensors', 'last.safetensors', 'snapshot'} <= names
    assert not {'best.pt', 'last.pt'} & names
    assert results['files']['best.safetensors'] == str(out / 'best.safetensors')
    assert 'best_val_accuracy' in results and 'best_test_accuracy' in results
    with open(out / 'config.json') as f:
        assert json.load(f)['weights_format'] == 'safetensors'


def test_load_eval_and_predict_read_the_run(safetensors_run, tmp_path, monkeypatch):
    out, results = safetensors_run
    kept = []   # the commands keep their freed host memory (app/host_memory.py), as fit does
    for module in ('evaluate', 'predict'):
        monkeypatch.setattr('chainvision.app.{}.keep_freed_host_memory'.format(module),
                            lambda module=module: kept.append(module))
    model = chainvision.load(out)
    assert model.class_names == [str(i) for i in range(10)]
    saved, matrix = evaluate(str(out), device='cpu', precision='fp32')
    assert saved['iteration'] == results['best_iteration']
    assert int(matrix.trace()) / int(matrix.sum()) == pytest.approx(results['best_test_accuracy'])
    images, _ = datasets.load_arrays('mnist', 'test')
    Image.fromarray(images[0, 0]).save(tmp_path / 'digit.png')
    ranking = predict(str(out / 'last.safetensors'), [str(tmp_path / 'digit.png')], top_k=10,
                      device='cpu')[0]
    last = chainvision.load(out / 'last.safetensors')
    expected = last.predict(torch.tensor(images[:1]))[0]
    assert [p for _, p in ranking] == pytest.approx(sorted(expected.tolist(), reverse=True),
                                                    abs=1e-6)
    assert kept == ['evaluate', 'predict']
