"""``chainvision.chainerx``: what Chainer code sees of a Chainer built without ChainerX."""
import sys

import numpy
import pytest
import torch

import chainvision
from chainvision import backend, chainerx


def test_chainerx_is_never_available():
    assert chainerx.is_available() is False


def test_no_array_is_a_chainerx_ndarray_and_none_can_be_made():
    assert not isinstance(numpy.zeros(2), chainerx.ndarray)
    assert not isinstance(torch.zeros(2), chainerx.ndarray)
    with pytest.raises(RuntimeError, match='chainerx is not available'):
        chainerx.ndarray((2,))


def test_examples_branches_take_the_numpy_path():
    # Chainer's examples: `if device.xp is not chainerx:` and
    # `if not isinstance(device, backend.ChainerxDevice):`.
    for spec in ('@numpy', -1, 'native'):
        device = chainvision.get_device(spec)
        assert device.xp is not chainerx
        assert not isinstance(device, backend.ChainerxDevice)
    with pytest.raises(RuntimeError, match='chainerx is not available'):
        backend.ChainerxDevice()


def test_no_top_level_chainerx_is_installed():
    assert chainvision.chainerx is chainerx
    assert chainerx.__name__ == 'chainvision.chainerx'
    assert sys.modules.get('chainerx') is not chainerx
