"""``fit(..., pretrained=...)`` and ``chainvision train --pretrained``: a run
that starts from published weights (here a torchvision-layout ResNet-50 file
the test writes), with a new classifier for its classes, the weights' input
normalisation and a tenth of the model's learning rate."""

import json

import numpy
import pytest
import torch

import chainvision
from chainvision import models
from chainvision.app import checkpoint, options
from chainvision.cli.main import main
from chainvision.models.weights import pretrained_config
from tests.models.extractors import _helpers

TV = pretrained_config('resnet50.tv_in1k')


def _images(n=8, classes=2, size=64, seed=0):
    rng = numpy.random.RandomState(seed)
    return (rng.randint(0, 256, (n, 3, size, size)).astype(numpy.uint8),
            numpy.arange(n, dtype=numpy.int64) % classes)


@pytest.fixture(scope='module')
def weights_file(tmp_path_factory):
    """torchvision's ResNet-50 state dict (random values), under the name
    torchvision publishes it as."""
    torch.manual_seed(0)
    source = _helpers.randomize(models.create('resnet50', conv1_bias=True, stride_in='1x1'))
    path = tmp_path_factory.mktemp('weights') / TV.file_name
    torch.save(_helpers.resnet50_torchvision_state_dict(source), path)
    return path


def test_fine_tuning_defaults_and_what_is_recorded(weights_file):
    config = options.resolve('resnet50', _images(), None, {'pretrained': str(weights_file)})
    scratch = options.resolve('resnet50', _images(), None, {})
    assert config['normalize'] == 'pretrained' and config['lr'] == pytest.approx(
        scratch['lr'] / 10)
    # The network as the weights need it, so that its checkpoints rebuild it.
    assert config['model_kwargs'] == TV.hparams == {'bn_eps': 1e-5}
    # What was given explicitly stays.
    explicit = options.resolve('resnet50', _images(), None, {
        'pretrained': str(weights_file), 'lr': 0.05, 'normalize': 'mean-std'})
    assert explicit['lr'] == 0.05 and explicit['normalize'] == 'mean-std'


@pytest.mark.parametrize('given, message', [
    ({'pretrained': 'nope'}, "pretrained must be a tag (densenet121.ra_in1k, "
                             "densenet121.tv_in1k, googlenet.caffe_in1k, ...), 'auto' or an "
                             "existing weight file, got 'nope'."),
    ({'normalize': 'pretrained'}, "normalize='pretrained' needs pretrained weights"),
    ({'pretrained': 'resnet50.tv_in1k', 'model': 'resnet20'},
     'resnet50.tv_in1k holds weights for resnet50, not resnet20.'),
    ({'pretrained': 'auto', 'model': 'resnet20'},
     "resnet20 has no published weights for pretrained='auto'; these models have: densenet121"),
])
def test_weights_that_cannot_serve_are_refused_before_any_work(given, message):
    given = dict(given)
    model = given.pop('model', 'resnet50')
    with pytest.raises(ValueError) as error:
        options.resolve(model, _images(), None, given)
    assert str(error.value).startswith(message)


def test_a_run_starts_from_the_weights_with_a_new_classifier(weights_file, tmp_path):
    state = torch.load(weights_file, weights_only=True)
    images, labels = _images()
    # A learning rate so small that the step leaves the weights as loaded.
    results = chainvision.fit('resnet50', {'train': (images, labels), 'test': (images, labels)},
                              out=str(tmp_path / 'run'), pretrained=str(weights_file),
                              iterations=1, batch_size=4, lr=1e-30, augment='none',
                              device='cpu', progress=False, compile=False, precision='fp32')
    assert 0 <= results['test_accuracy'] <= 1
    with open(tmp_path / 'run' / 'config.json') as f:
        assert json.load(f)['pretrained'] == str(weights_file)
    saved = checkpoint.load_checkpoint(str(tmp_path / 'run' / 'last.pt'))
    assert (saved['mean'], saved['std']) == (list(TV.mean), list(TV.std))
    model = checkpoint.model_from_checkpoint(saved)
    assert model.res2.a.bn1.eps == 1e-5 and model.num_classes == 2
    torch.testing.assert_close(model.conv1.W, state['conv1.weight'], rtol=0, atol=0)
    torch.testing.assert_close(model.res5.b2.conv3.W, state['layer4.2.conv3.weight'],
                               rtol=0, atol=0)


def test_train_takes_pretrained_on_the_command_line(weights_file, tmp_path, capsys):
    folder = tmp_path / 'images'
    from PIL import Image
    images, labels = _images(n=4, size=40)
    for i, (image, label) in enumerate(zip(images, labels)):
        (folder / 'class{}'.format(label)).mkdir(parents=True, exist_ok=True)
        Image.fromarray(image.transpose(1, 2, 0)).save(folder / 'class{}'.format(label) /
                                                       '{}.png'.format(i))
    assert main(['train', 'resnet50', '--dataset', str(folder), '--pretrained',
                 str(weights_file), '--iterations', '1', '--batch-size', '2', '--device', 'cpu',
                 '--precision', 'fp32', '--no-compile', '--no-progress',
                 '--out', str(tmp_path / 'run')]) == 0
    assert ('weights: resnet50.tv_in1k ({}), a new classifier for 2 classes (theirs has '
            '1000)\n'.format(weights_file)) in capsys.readouterr().out
    with open(tmp_path / 'run' / 'config.json') as f:
        config = json.load(f)
    assert config['pretrained'] == str(weights_file) and config['normalize'] == 'pretrained'


def test_missing_weights_are_reported_before_the_data_is_read(tmp_path, monkeypatch):
    from chainvision.models.weights import pretrained
    monkeypatch.setenv('CHAINVISION_MODEL_ROOT', str(tmp_path))
    monkeypatch.setattr(pretrained, '_reachable', lambda url: False)
    with pytest.raises(FileNotFoundError, match='resnet50.tv_in1k needs resnet50-0676ba61.pth'):
        options.resolve('resnet50', str(tmp_path / 'not read'), None, {'pretrained': 'auto'})
