"""A run's data: ``--verify`` reaches the array cache, image files are read
with the channels the model takes."""

import pytest

from chainvision import datasets
from chainvision.app import data, options
from chainvision.cli.main import build_parser


def test_verify_hashes_the_cached_arrays_whole(monkeypatch):
    calls = []
    real = datasets.load_arrays

    def recording(name, split='train', verify=False):
        calls.append((name, split, verify))
        return real(name, split, verify)

    monkeypatch.setattr(datasets, 'load_arrays', recording)
    args = build_parser().parse_args(['train', 'lenet5', '--dataset', 'mnist', '--verify'])
    given = options.given(args)
    assert given['verify'] is True and 'verify' in options.RESUMABLE
    loaded = data.load_data('mnist', 0, 'none', verify=given['verify'])
    assert calls == [('mnist', 'train', True), ('mnist', 'test', True)]
    assert loaded.image_shape == (1, 28, 28)


@pytest.mark.parametrize('channels, mode', [(1, 'L'), (3, 'RGB')])
def test_image_files_are_read_with_the_models_channels(channels, mode):
    assert data.pillow_mode(channels) == mode


def test_a_model_of_other_channels_cannot_read_image_files():
    with pytest.raises(ValueError, match='the model takes 4-channel images; image files are '
                                         r'read as grey \(1\) or colour \(3\) only'):
        data.pillow_mode(4)
