"""The defaults that depend on the machine: the precision and the memory
layout a run trains in, and what bf16 keeps in fp32."""

import pytest
import torch

from chainvision import models
from chainvision.app import machine

CPU, CUDA = torch.device('cpu'), torch.device('cuda', 0)


@pytest.mark.parametrize('native, device, expected', [
    (True, CPU, 'bf16'), (False, CPU, 'fp32'),      # AVX-512 BF16/AMX or not
    (True, CUDA, 'bf16'), (False, CUDA, 'fp16'),    # Ampere and later, or older
])
def test_the_default_precision_is_the_fastest_the_device_computes_natively(
        monkeypatch, native, device, expected):
    monkeypatch.setattr(machine, 'computes_bf16_natively', lambda device: native)
    assert machine.fast_precision(device) == expected


def test_channels_last_is_the_default_on_cpus_and_cuda_gpus():
    assert machine.channels_last_pays(CPU) and machine.channels_last_pays(CUDA)
    assert not machine.channels_last_pays(torch.device('mps'))


def test_under_bf16_autocast_batchnorm_statistics_and_the_loss_stay_fp32():
    torch.manual_seed(0)
    model = models.create('resnet20')
    inputs = []
    model.bn1.register_forward_pre_hook(lambda module, args: inputs.append(args[0]))
    x, t = torch.randn(8, 3, 32, 32), torch.arange(8)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        y = model(x)
        loss = torch.nn.functional.cross_entropy(y, t)
    assert inputs[0].dtype == torch.bfloat16 and y.dtype == torch.bfloat16
    assert loss.dtype == torch.float32
    # The running mean is (1 - decay) times the batch mean of bn1's bf16
    # input, computed in fp32 (in bf16 it would be off by ~1e-3 relative).
    expected = 0.1 * inputs[0].float().mean(dim=(0, 2, 3))
    assert model.bn1.avg_mean.dtype == torch.float32
    torch.testing.assert_close(model.bn1.avg_mean, expected, rtol=1e-5, atol=1e-7)
