"""Truncated, corrupt and unsafe files: one error that names the file and
says what is wrong, never PyTorch's advice to load with weights_only=False
and never code run from the file."""

import os
import pickle

import numpy
import pytest
import torch

from chainvision import links as L
from chainvision import serializers
from chainvision.serializers import UnreadableFileError


@pytest.fixture
def npz_file(tmp_path):
    path = tmp_path / 'model.npz'
    serializers.save_npz(str(path), L.Linear(300, 200))
    return path


def test_a_truncated_npz_names_the_file(npz_file):
    data = npz_file.read_bytes()
    npz_file.write_bytes(data[:len(data) // 2])
    with pytest.raises(UnreadableFileError) as info:
        serializers.load_npz(str(npz_file), L.Linear(300, 200))
    assert str(info.value) == '{} is not an NPZ file, or is truncated'.format(npz_file)
    assert info.value.path == str(npz_file)


def test_a_damaged_npz_entry_names_the_file_and_the_entry(npz_file):
    data = bytearray(npz_file.read_bytes())
    data[len(data) // 3] ^= 0xFF  # inside W's compressed bytes
    npz_file.write_bytes(bytes(data))
    with pytest.raises(UnreadableFileError,
                       match=r"model.npz is truncated or corrupt: the entry 'W' is damaged"):
        serializers.load_npz(str(npz_file), L.Linear(300, 200))


@pytest.mark.parametrize('content, problem', [
    (b'<html>404 Not Found</html>', 'is not an NPZ file, or is truncated'),
    (b'', 'is not an NPZ file, or is truncated'),
    (pickle.dumps({'W': 1}), 'is not an NPZ file, or is truncated'),
])
def test_a_file_that_is_not_npz_says_so(tmp_path, content, problem):
    path = tmp_path / 'page.npz'
    path.write_bytes(content)
    with pytest.raises(UnreadableFileError) as info:
        serializers.load_npz(str(path), L.Linear(3, 2))
    assert str(info.value) == '{} {}'.format(path, problem)
    assert 'allow_pickle' not in str(info.value)


def test_a_single_npy_array_is_not_an_npz(tmp_path):
    path = tmp_path / 'array.npy'
    numpy.save(path, numpy.zeros(3))
    with pytest.raises(UnreadableFileError, match='is a single .npy array, not an NPZ file'):
        serializers.load_npz(str(path), L.Linear(3, 2))


class _RunsCode:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, 'w'))


def test_a_torch_file_that_would_run_code_is_refused_without_unsafe_advice(tmp_path):
    marker = tmp_path / 'code-ran'
    path = tmp_path / 'evil.pt'
    torch.save({'state_dict': {}, 'payload': _RunsCode(str(marker))}, path)
    with pytest.raises(UnreadableFileError) as info:
        serializers.load_torch_file(str(path), 'a chainvision checkpoint')
    message = str(info.value)
    assert message.startswith('{} is not a chainvision checkpoint and cannot be loaded '
                              'safely'.format(path))
    assert 'weights_only' not in message and not marker.exists()


@pytest.mark.parametrize('cut', [0, 100, 0.5])
def test_a_truncated_torch_file_names_the_file(tmp_path, cut):
    path = tmp_path / 'best.pt'
    torch.save({'w': torch.ones(1000)}, path)
    data = path.read_bytes()
    path.write_bytes(data[:int(len(data) * cut) if isinstance(cut, float) else cut])
    with pytest.raises(UnreadableFileError) as info:
        serializers.load_torch_file(str(path), 'a chainvision checkpoint')
    assert str(info.value) == ('{} is truncated or corrupt (it is not a chainvision checkpoint '
                               'that PyTorch can read)'.format(path))


def test_a_sound_torch_file_loads(tmp_path):
    path = tmp_path / 'ok.pt'
    torch.save({'w': torch.arange(3.), 'name': 'x'}, path)
    loaded = serializers.load_torch_file(os.fspath(path))
    assert loaded['name'] == 'x' and loaded['w'].tolist() == [0., 1., 2.]
