"""``chainvision show-augment``: the grid shows the originals beside copies
made by the training pipeline."""

import numpy
import pytest
import torch
from PIL import Image

from chainvision import datasets
from chainvision.cli.main import main
from chainvision.cli.show_augment import augmented_grid


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv('CHAINVISION_CACHE_DIR', str(tmp_path / 'cache'))


def test_mnist_grid_has_the_originals_in_the_first_column(tmp_path, capsys):
    out = tmp_path / 'grid.png'
    assert main(['show-augment', 'mnist', '--out', str(out), '--images', '3', '--copies', '2',
                 '--scale', '2', '--augment', 'crop4,flip']) == 0
    assert str(out) in capsys.readouterr().out
    grid = numpy.asarray(Image.open(out))
    gap, cell = 2, 28 * 2
    assert grid.shape == (3 * (cell + gap) + gap, 3 * (cell + gap) + 3 * gap, 3)
    first = datasets.load_arrays('mnist')[0][0, 0]
    shown = grid[gap:gap + cell:2, gap:gap + cell:2, 0]
    numpy.testing.assert_array_equal(shown, first)


def test_grid_without_augmentation_reproduces_the_pixels():
    images = torch.randint(0, 256, (2, 3, 5, 5), dtype=torch.uint8)
    cells = augmented_grid(images, datasets.Augmentation(), [0.4, 0.5, 0.6], [0.2, 0.3, 0.25], 3)
    assert cells.shape == (2, 4, 3, 5, 5)
    for copy in range(4):
        numpy.testing.assert_array_equal(cells[:, copy], images.numpy())


def test_image_folder_source(tmp_path):
    for name in ('a', 'b'):
        (tmp_path / 'data' / name).mkdir(parents=True)
        Image.new('RGB', (40, 30), (200, 10, 10)).save(tmp_path / 'data' / name / 'x.png')
    out = tmp_path / 'grid.png'
    assert main(['show-augment', str(tmp_path / 'data'), '--out', str(out), '--size', '16',
                 '--copies', '1', '--scale', '1', '--augment', 'flip']) == 0
    grid = numpy.asarray(Image.open(out))
    assert grid.shape == (2 * 18 + 2, 2 * 18 + 6, 3)
    assert grid[2 + 8, 2 + 8].tolist() == [200, 10, 10]


def test_bad_arguments_get_a_message_not_a_traceback(tmp_path, capsys):
    assert main(['show-augment', 'imagenet', '--out', str(tmp_path / 'g.png')]) == 2
    assert 'unknown dataset' in capsys.readouterr().err
    out = str(tmp_path / 'g.png')
    assert main(['show-augment', 'mnist', '--out', out, '--augment', 'spin']) == 2
    assert 'unknown augmentation' in capsys.readouterr().err
