"""``chainvision.load`` and ``chainvision export``: a checkpoint or run
folder becomes an inference model that knows its classes and normalisation,
and a deployable file."""

import numpy
import pytest
import torch

import chainvision
from chainvision import models
from chainvision.app.checkpoint import save_checkpoint
from chainvision.cli.main import main
from chainvision.datasets.loader import augment
from chainvision.serializers import save_npz

CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship',
           'truck']
MEAN, STD = [0.49, 0.48, 0.45], [0.25, 0.24, 0.26]


@pytest.fixture
def run_folder(tmp_path):
    torch.manual_seed(0)
    network = models.create('resnet20')
    save_checkpoint(str(tmp_path / 'best.pt'), network, {
        'model': 'resnet20', 'model_kwargs': {}, 'class_names': CLASSES,
        'image_shape': (3, 32, 32), 'mean': MEAN, 'std': STD})
    return tmp_path, network.eval()


def test_load_knows_classes_and_normalisation(run_folder):
    folder, network = run_folder
    model = chainvision.load(folder)
    assert model.class_names == CLASSES and model.input_shape == (3, 32, 32)
    pixels = torch.randint(0, 256, (4, 3, 32, 32), dtype=torch.uint8)
    with torch.no_grad():
        expected = torch.softmax(network(augment.normalize(pixels, MEAN, STD)), dim=1)
    torch.testing.assert_close(model.predict(pixels, precision='fp32'), expected)
    torch.testing.assert_close(chainvision.load(folder / 'best.pt').predict(pixels.numpy(),
                                                                            precision='fp32'),
                               expected)
    assert model.top_k(pixels[:1], k=1)[0][0][0] == CLASSES[int(expected[0].argmax())]


def test_a_run_without_a_best_checkpoint_is_loaded_from_its_last(run_folder):
    folder, network = run_folder
    (folder / 'best.pt').rename(folder / 'last.pt')     # a run without a validation split
    pixels = torch.randint(0, 256, (2, 3, 32, 32), dtype=torch.uint8)
    with torch.no_grad():
        expected = torch.softmax(network(augment.normalize(pixels, MEAN, STD)), dim=1)
    torch.testing.assert_close(chainvision.load(folder).predict(pixels, precision='fp32'),
                               expected)


def test_load_a_chainer_npz_needs_the_model_name(run_folder, tmp_path):
    _, network = run_folder
    save_npz(str(tmp_path / 'r20.npz'), network)
    with pytest.raises(ValueError, match="model='resnet20'"):
        chainvision.load(tmp_path / 'r20.npz')
    model = chainvision.load(tmp_path / 'r20.npz', model='resnet20')
    x = numpy.random.default_rng(0).standard_normal((2, 3, 32, 32)).astype(numpy.float32)
    with torch.no_grad():
        expected = torch.softmax(network(torch.from_numpy(x)), dim=1)
    torch.testing.assert_close(model.predict(x, precision='fp32'), expected)


def test_export_command_writes_a_graph_of_the_run(run_folder, tmp_path, capsys):
    folder, _ = run_folder
    out = tmp_path / 'r20.pt2'
    assert main(['export', str(folder), '--format', 'pt2', '--out', str(out),
                 '--dynamic-batch', '--logits']) == 0
    assert 'logits' in capsys.readouterr().out
    pixels = torch.randint(0, 256, (3, 3, 32, 32), dtype=torch.uint8)
    model = chainvision.load(folder)
    with torch.no_grad():
        expected = model.logits(pixels)
    got = torch.export.load(str(out)).module()(pixels.float())
    torch.testing.assert_close(got, expected, rtol=1e-5, atol=1e-5)
