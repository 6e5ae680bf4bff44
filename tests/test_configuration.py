import threading

import numpy
import pytest
import torch

import chainvision


def test_using_config_restores_previous_value():
    assert chainvision.config.train is True
    with chainvision.using_config('train', False):
        assert chainvision.config.train is False
    assert chainvision.config.train is True


def test_config_is_thread_local():
    seen = []
    with chainvision.using_config('train', False):
        thread = threading.Thread(target=lambda: seen.append(chainvision.config.train))
        thread.start()
        thread.join()
    assert seen == [True]


def test_enable_backprop_is_torch_grad_mode():
    x = torch.ones(2, requires_grad=True)
    with chainvision.no_backprop_mode():
        assert chainvision.config.enable_backprop is False
        assert not (x * 2).requires_grad
        with chainvision.force_backprop_mode():
            assert (x * 2).requires_grad
    assert chainvision.config.enable_backprop is True


def test_is_train_needs_config_and_module_mode():
    module = torch.nn.Linear(1, 1)
    assert chainvision.is_train(module)
    module.eval()
    assert not chainvision.is_train(module)
    module.train()
    with chainvision.using_config('train', False):
        assert not chainvision.is_train(module)


def test_using_config_accepts_any_name_as_chainer_does():
    with chainvision.using_config('my_experiment_flag', 'on'):
        assert chainvision.config.my_experiment_flag == 'on'
    assert not hasattr(chainvision.config, 'my_experiment_flag')


@pytest.mark.parametrize('dtype, map_mixed16, expected', [
    (None, None, numpy.float32), (numpy.float16, None, numpy.float16), ('f8', None, numpy.float64),
])
def test_get_dtype_normalizes_the_specifier(dtype, map_mixed16, expected):
    assert chainvision.get_dtype(dtype, map_mixed16) == numpy.dtype(expected)


def test_get_dtype_reads_config_dtype_and_maps_mixed16():
    # Values from Chainer 7.8.1: float16, float32 with map_mixed16, repr 'mixed16'.
    with chainvision.using_config('dtype', chainvision.mixed16):
        assert chainvision.get_dtype() == numpy.dtype(numpy.float16)
        assert chainvision.get_dtype(map_mixed16=numpy.float32) == numpy.dtype(numpy.float32)
        assert repr(chainvision.config.dtype) == "dtype('mixed16')"
    with chainvision.using_config('dtype', numpy.float64):
        assert chainvision.get_dtype() == numpy.dtype(numpy.float64)


def test_debug_mode_set_debug_and_compute_mode():
    assert not chainvision.is_debug()
    with chainvision.DebugMode(True):
        assert chainvision.is_debug() and chainvision.config.debug is True
    assert not chainvision.is_debug()
    with chainvision.using_config('debug', False):
        chainvision.set_debug(True)
        assert chainvision.is_debug()
    assert not chainvision.is_debug()
    assert chainvision.get_compute_mode() is None  # Chainer 7.8.1's default
    with chainvision.using_config('compute_mode', 'cudnn_fast'):
        assert chainvision.get_compute_mode() == 'cudnn_fast'
