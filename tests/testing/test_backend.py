"""BackendConfig, inject_backend_tests and the attr marks."""

import subprocess
import sys
import unittest

import numpy
import pytest
import torch

import chainvision
from chainvision import testing
from chainvision.testing import attr
from tests.testing._scratch import run_classes, scratch_module

CPU_IDEEP_CUDA_CHAINERX = [{}, {'use_ideep': 'always'}, {'use_cuda': True, 'cuda_device': 1},
                           {'use_chainerx': True, 'chainerx_device': 'native:0'}]


def test_backend_config_defaults_and_device():
    config = testing.BackendConfig({'use_cuda': True})
    assert config.cuda_device == 0 and config.use_cudnn == 'never'
    assert config.device.torch_device == torch.device('cuda', 0)
    cpu = testing.BackendConfig({})
    assert cpu.device.torch_device == torch.device('cpu') and cpu.xp is numpy
    array = numpy.ones(3)
    assert cpu.get_array(array) is array  # NumPy arrays stay NumPy on the CPU


def test_backend_config_rejects_unknown_options():
    with pytest.raises(ValueError, match='use_tpu is not defined'):
        testing.BackendConfig({'use_tpu': True})
    with pytest.raises(TypeError):
        testing.BackendConfig([('use_cuda', True)])


def test_backend_config_sets_its_config_values_inside_with():
    config = testing.BackendConfig({'use_ideep': 'always', 'autotune': True})
    with config:
        assert chainvision.config.use_ideep == 'always' and chainvision.config.autotune
    assert chainvision.config.use_ideep == 'never'


def test_func_str_names_every_option_in_chainers_order():
    text = testing.BackendConfig({'use_cuda': True}).get_func_str()
    assert text == ('use_chainerx_false__chainerx_device_None__use_cuda_true__cuda_device_0__'
                    'use_cudnn_never__cudnn_deterministic_false__autotune_false__'
                    'cudnn_fast_batch_normalization_false__use_ideep_never')


def test_inject_backend_tests_runs_cpu_and_skips_ideep_chainerx_and_missing_gpus():
    module = scratch_module('scratch_inject')
    seen = []

    @testing.inject_backend_tests(None, CPU_IDEEP_CUDA_CHAINERX)
    class TestDevice(unittest.TestCase):
        __module__ = module.__name__

        def test_device(self, backend_config):
            seen.append(backend_config.device.torch_device.type)

    outcomes = list(run_classes(TestDevice.classes).values())
    assert outcomes[0] == 'passed' and seen[0] == 'cpu'
    assert outcomes[1] == 'skipped: iDeep is not used by chainvision'
    if torch.cuda.device_count() < 2:
        assert outcomes[2].startswith('skipped: 2 CUDA devices required')
    assert outcomes[3] == 'skipped: ChainerX is not available'


def test_inject_backend_tests_with_method_names_keeps_the_other_tests_once():
    module = scratch_module('scratch_inject_names')

    @testing.parameterize({'n': 1})
    @testing.inject_backend_tests(['test_with_config'], [{}])
    class TestMixed(unittest.TestCase):
        __module__ = module.__name__

        def test_with_config(self, backend_config):
            assert isinstance(backend_config, testing.BackendConfig)

        def test_plain(self):
            pass

    outcomes = run_classes(TestMixed.classes)
    tests = sorted(test for _, test in outcomes)
    assert tests == ['test_plain', 'test_with_config']
    assert set(outcomes.values()) == {'passed'}


def test_attr_marks_and_skips():
    def test_gpu():
        pass

    marked = attr.multi_gpu(torch.cuda.device_count() + 1)(test_gpu)
    assert [m.name for m in marked.pytestmark] == ['gpu']
    assert marked.__unittest_skip__
    assert [m.name for m in attr.slow(test_gpu).pytestmark] == ['slow']
    assert attr.cudnn(test_gpu).__unittest_skip_why__.startswith('cuDNN through CuPy')


def test_importing_chainvision_testing_does_not_import_pytest():
    code = 'import sys, chainvision.testing; print("pytest" in sys.modules)'
    output = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                            check=True).stdout
    assert output.strip() == 'False'
