"""chainer.dataset's download helpers: root, directories, cached downloads
(a file:// URL stands in for the network) and create-or-load caching."""

import os

import pytest

from chainvision import dataset
from chainvision.dataset import download


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.setattr(download, '_root_override', None)
    dataset.set_dataset_root(str(tmp_path / 'root'))
    return tmp_path / 'root'


def test_set_dataset_root_wins_over_the_environment(root, monkeypatch):
    monkeypatch.setenv('CHAINVISION_DATASET_ROOT', '/elsewhere')
    assert dataset.get_dataset_root() == str(root)
    path = dataset.get_dataset_directory('pfnet/chainer/mnist')
    assert path == str(root / 'pfnet' / 'chainer' / 'mnist') and os.path.isdir(path)
    assert not os.path.exists(dataset.get_dataset_directory('other', create_directory=False))


def test_cached_download_fetches_once(root, tmp_path):
    source = tmp_path / 'remote.txt'
    source.write_text('first')
    url = source.as_uri()
    path = dataset.cached_download(url)
    assert open(path).read() == 'first' and os.path.dirname(path) == str(root / '_dl_cache')
    source.write_text('changed')
    assert dataset.cached_download(url) == path and open(path).read() == 'first'
    assert os.listdir(root / '_dl_cache') == [os.path.basename(path)]  # no temporary left


def test_cache_or_load_file_creates_then_loads(root):
    target = root / 'cache' / 'values.txt'
    calls = []

    def creator(temp_path):
        calls.append(temp_path)
        assert not os.path.exists(temp_path)
        with open(temp_path, 'w') as f:
            f.write('42')
        return 'created'

    assert dataset.cache_or_load_file(str(target), creator, lambda p: 'loaded') == 'created'
    assert target.read_text() == '42' and len(calls) == 1
    assert dataset.cache_or_load_file(str(target), creator, lambda p: open(p).read()) == '42'
    assert len(calls) == 1
