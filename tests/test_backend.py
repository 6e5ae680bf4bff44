import numpy
import pytest
import torch

import chainvision
from chainvision import backend
from chainvision.backends import cuda


@pytest.mark.parametrize('spec, expected', [
    ('@numpy', 'cpu'), ('native', 'cpu'), (-1, 'cpu'), ('-1', 'cpu'), ('cpu', 'cpu'),
    ('@cupy:1', 'cuda:1'), (0, 'cuda:0'), ('cuda', 'cuda:0'), (torch.device('cpu'), 'cpu'),
])
def test_chainer_device_specifiers_map_to_torch_devices(spec, expected):
    assert backend.get_device(spec).torch_device == torch.device(expected)


def test_device_names_and_send():
    device = backend.get_device('@numpy')
    assert device.name == '@numpy' and device.xp is numpy
    sent = device.send({'x': numpy.ones(2, numpy.float32), 'n': 3})
    assert isinstance(sent['x'], torch.Tensor) and sent['n'] == 3
    assert backend.get_device('@cupy:2').name == '@cupy:2'


def test_auto_is_cuda_when_pytorch_sees_it_else_the_cpu():
    expected = 'cuda' if torch.cuda.is_available() else 'cpu'
    assert backend.get_device('auto').torch_device.type == expected


def test_check_available_names_what_is_missing():
    cpu = backend.get_device('cpu')
    assert cpu.check_available() is cpu
    with pytest.raises(ValueError, match=r'only \d+ CUDA device|needs CUDA, but PyTorch sees no'):
        backend.get_device('cuda:{}'.format(torch.cuda.device_count())).check_available()


def test_bad_specifier_says_what_is_accepted():
    with pytest.raises(ValueError, match='Cannot interpret'):
        backend.get_device(1.5)


def test_to_cpu_returns_numpy_for_nested_containers():
    result = backend.to_cpu((torch.ones(2, requires_grad=True), [torch.zeros(1)]))
    assert isinstance(result[0], numpy.ndarray) and isinstance(result[1][0], numpy.ndarray)


def test_as_tensors_put_numpy_inputs_on_the_device_of_the_first_tensor():
    x, w, none = backend.as_tensors(numpy.ones(2), torch.zeros(2, dtype=torch.float64), None)
    assert isinstance(x, torch.Tensor) and x.device == w.device and none is None


def test_cuda_module_works_without_a_gpu():
    assert cuda.cupy is None
    assert cuda.get_array_module(torch.ones(1)) is numpy
    with cuda.get_device_from_id(None) as device:
        assert device.id == -1
    assert cuda.get_device_from_array(numpy.ones(1)) is cuda.DummyDevice
    if not torch.cuda.is_available():
        with pytest.raises(RuntimeError, match='CUDA is not available'):
            cuda.check_cuda_available()


@pytest.mark.gpu
def test_to_gpu_and_back():
    x = backend.to_gpu(numpy.arange(3.0))
    assert x.is_cuda
    assert numpy.array_equal(backend.to_cpu(x), numpy.arange(3.0))


def test_using_device_on_the_cpu_leaves_tensors_where_they_are():
    with chainvision.using_device('@numpy'):
        assert backend.get_device_from_array(torch.zeros(1)).name == '@numpy'
    with backend.using_device(-1) as entered:
        assert entered is None


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs a CUDA device')
def test_using_device_makes_a_gpu_current_and_restores_the_previous_one():
    previous = torch.cuda.current_device()
    last = torch.cuda.device_count() - 1
    with chainvision.using_device('@cupy:{}'.format(last)):
        assert torch.cuda.current_device() == last
    assert torch.cuda.current_device() == previous


def test_get_device_returns_chainers_device_classes():
    cpu = chainvision.get_device('@numpy')
    assert isinstance(cpu, backend.CpuDevice) and cpu == backend.Device('cpu')
    gpu = chainvision.get_device('@cupy:1')
    assert isinstance(gpu, backend.GpuDevice) and gpu.id == 1 and gpu.name == '@cupy:1'
    assert isinstance(backend.get_device_from_array(numpy.zeros(1)), backend.CpuDevice)
    assert cuda.GpuDevice is backend.GpuDevice
    assert type(chainvision.get_device('meta')) is backend.Device


def test_array_types_and_compatibility():
    assert isinstance(torch.zeros(1), chainvision.get_array_types())
    assert isinstance(numpy.zeros(1), chainvision.get_cpu_array_types())
    assert not isinstance(torch.zeros(1), chainvision.get_cpu_array_types())
    assert chainvision.is_arrays_compatible([numpy.zeros(1), torch.zeros(1), None])
    assert not chainvision.is_arrays_compatible([torch.zeros(1), torch.zeros(1, device='meta')])


def test_copyto_fills_in_place_with_broadcasting():
    dst = torch.zeros(2, 3)
    backend.copyto(dst, numpy.arange(3, dtype=numpy.float32))
    assert dst.tolist() == [[0, 1, 2], [0, 1, 2]]
    host = numpy.zeros(3, numpy.float32)
    backend.copyto(host, torch.tensor([4.0, 5.0, 6.0]))
    assert host.tolist() == [4, 5, 6]


def test_cuda_ndarray_is_a_type_no_array_belongs_to():
    assert not isinstance(numpy.zeros(1), cuda.ndarray)
    assert not isinstance(torch.zeros(1), cuda.ndarray)
    with pytest.raises(RuntimeError, match='CuPy is not used'):
        cuda.ndarray((2,))


def test_send_array_moves_one_array():
    sent = backend.get_device('@numpy').send_array(numpy.ones(2, numpy.float32))
    assert isinstance(sent, torch.Tensor) and sent.device.type == 'cpu'


CPU, CUDA = torch.device('cpu'), torch.device('cuda', 0)


@pytest.mark.parametrize('native, expected', [(True, 'bf16'), (False, 'fp32')])
def test_the_native_precision_is_bf16_where_the_device_computes_it(monkeypatch, native,
                                                                    expected):
    monkeypatch.setattr(backend, 'computes_bf16_natively', lambda device: native)
    assert backend.native_precision(CPU) == expected


def test_an_emulated_precision_warns_naming_the_work_and_the_faster_precision(monkeypatch):
    monkeypatch.setattr(backend, 'computes_bf16_natively', lambda device: False)
    monkeypatch.setattr(torch.ops.mkldnn, '_is_mkldnn_fp16_supported', lambda: False)
    assert backend.emulated_precision_warning('bf16', CPU) == (
        '--precision bf16 runs emulated on this CPU (it has no native bf16 instructions): '
        'training is correct but several times slower than in fp32; --precision fp32 (the '
        'default here) is faster.')
    assert backend.emulated_precision_warning('fp16', CPU, 'inference').startswith(
        '--precision fp16 runs emulated on this CPU (it has no native fp16 instructions): '
        'inference is correct')
    assert backend.emulated_precision_warning('fp32', CPU) is None
    monkeypatch.setattr(backend, 'computes_bf16_natively', lambda device: True)
    assert backend.emulated_precision_warning('bf16', CPU) is None
    # fp16 is still emulated: bf16 is now the faster precision it names.
    assert backend.emulated_precision_warning('fp16', CPU).endswith(
        '--precision bf16 (the default here) is faster.')
    assert backend.emulated_precision_warning('bf16', CUDA) is None
