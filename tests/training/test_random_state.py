"""The random generators' states in a trainer snapshot: the CUDA part, on a
simulated machine of two GPUs (the real ones are exercised by the GPU
tests)."""

import numpy
import pytest
import torch

from chainvision.serializers.npz import DictionarySerializer, NpzDeserializer
from chainvision.training._random_state import serialize_random_states

STATES = [torch.full((16,), 1, dtype=torch.uint8), torch.full((16,), 2, dtype=torch.uint8)]


def _cuda_machine(monkeypatch, devices, current):
    """torch.cuda as a machine of ``devices`` GPUs whose generators hold
    STATES, in a process on ``cuda:current``; returns the states set, by
    device."""
    restored = {}
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    monkeypatch.setattr(torch.cuda, 'is_initialized', lambda: True)
    monkeypatch.setattr(torch.cuda, 'device_count', lambda: devices)
    monkeypatch.setattr(torch.cuda, 'current_device', lambda: current)
    monkeypatch.setattr(torch.cuda, 'get_rng_state_all', lambda: STATES[:devices])
    monkeypatch.setattr(torch.cuda, 'set_rng_state',
                        lambda state, device: restored.__setitem__(device, state.clone()))
    return restored


def _snapshot(monkeypatch, current):
    saved = {}
    with monkeypatch.context() as patch:
        _cuda_machine(patch, 2, current)
        serialize_random_states(DictionarySerializer(saved))
    return saved


def _resume(saved, tmp_path):
    """Load ``saved`` as a trainer does: from an npz file."""
    numpy.savez(tmp_path / 'snapshot.npz', **saved)
    with numpy.load(tmp_path / 'snapshot.npz', allow_pickle=False) as npz:
        serialize_random_states(NpzDeserializer(npz))


def test_a_rank_resumes_the_stream_of_the_device_that_drew_at_saving(monkeypatch, tmp_path):
    """Rank 0 (cuda:0) writes the snapshot; rank 1 draws from cuda:1, alike:
    its device continues rank 0's device's stream, not the untouched cuda:1
    generator of rank 0's process."""
    saved = _snapshot(monkeypatch, current=0)
    restored = _cuda_machine(monkeypatch, 2, current=1)
    _resume(saved, tmp_path)
    assert torch.equal(restored[1], STATES[0]) and torch.equal(restored[0], STATES[0])


def test_a_single_process_gets_every_device_back(monkeypatch, tmp_path):
    saved = _snapshot(monkeypatch, current=1)
    restored = _cuda_machine(monkeypatch, 2, current=1)
    _resume(saved, tmp_path)
    assert torch.equal(restored[0], STATES[0]) and torch.equal(restored[1], STATES[1])


def test_a_snapshot_without_the_drawing_device_was_drawn_on_cuda_0(monkeypatch, tmp_path):
    saved = _snapshot(monkeypatch, current=0)
    del saved['torch_cuda_current']
    restored = _cuda_machine(monkeypatch, 2, current=1)
    _resume(saved, tmp_path)
    assert torch.equal(restored[1], STATES[0])


def test_another_number_of_devices_restores_this_processs_device_and_warns(monkeypatch, tmp_path):
    saved = _snapshot(monkeypatch, current=1)
    restored = _cuda_machine(monkeypatch, 1, current=0)
    with pytest.warns(UserWarning, match='random states of 2 CUDA devices, this machine has 1'):
        _resume(saved, tmp_path)
    assert list(restored) == [0] and torch.equal(restored[0], STATES[1])


def test_a_cpu_machine_resumes_a_gpu_snapshot_without_touching_cuda(monkeypatch, tmp_path):
    saved = _snapshot(monkeypatch, current=0)
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    _resume(saved, tmp_path)
    assert numpy.asarray(saved['torch_cuda']).shape == (2, 16)
