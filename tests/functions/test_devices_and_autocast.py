"""The functions are plain PyTorch: they run under autocast and on CUDA,
and NumPy arguments join the device of the tensor arguments."""

import numpy
import pytest
import torch

import chainvision.functions as F


def _small_network(x, device):
    W = torch.randn(4, 3, 3, 3, device=device, requires_grad=True)
    Wd = torch.randn(4, 2, 2, 2, device=device)
    gamma, beta = torch.ones(4, device=device), torch.zeros(4, device=device)
    h = F.convolution_2d(x, W, numpy.zeros(4, dtype=numpy.float32), pad=1)
    h = F.batch_normalization(h, gamma, beta)
    h = F.local_response_normalization(F.leaky_relu(h))
    h = F.max_pooling_2d(h, 3, 2, 1, cover_all=False) + F.average_pooling_2d(h, 3, 2, 1)
    h = F.deconvolution_2d(F.dropout(h), Wd, stride=2)
    h = F.resize_images(F.unpooling_2d(h, 2, cover_all=False), (5, 5))
    logits = F.linear(h, torch.randn(3, 50, device=device))
    loss = F.softmax_cross_entropy(logits, numpy.array([0, 2]))
    loss.backward()
    return loss, W.grad


def test_functions_run_under_cpu_autocast_in_bfloat16():
    x = torch.randn(2, 3, 8, 8)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        loss, grad = _small_network(x, 'cpu')
    assert torch.isfinite(loss) and grad.dtype == torch.float32 and torch.isfinite(grad).all()


@pytest.mark.gpu
def test_functions_run_on_cuda_with_numpy_arguments_and_autocast():
    x = torch.randn(2, 3, 8, 8, device='cuda')
    with torch.autocast('cuda', dtype=torch.float16):
        loss, grad = _small_network(x, 'cuda')
    assert loss.device.type == 'cuda' and torch.isfinite(grad).all()


@pytest.mark.gpu
def test_cuda_results_match_the_cpu():
    x = numpy.random.randn(2, 3, 7, 7).astype(numpy.float32)
    W = numpy.random.randn(3, 2, 3, 3).astype(numpy.float32)
    for function in (lambda v: F.max_pooling_2d(v, 2, 2, 1), lambda v: F.unpooling_2d(v, 3, 2, 1),
                     lambda v: F.deconvolution_2d(v, W, stride=2, outsize=(14, 14)),
                     lambda v: F.resize_images(v, (4, 9)), F.local_response_normalization):
        cpu = function(torch.as_tensor(x))
        cuda = function(torch.as_tensor(x).cuda())
        torch.testing.assert_close(cuda.cpu(), cpu, rtol=1e-4, atol=1e-4)
