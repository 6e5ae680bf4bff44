"""Batch normalization followed by a residual addition and ReLU
(``F.batch_normalization(..., residual=, relu=)``, the BatchNorm link's
``forward(x, residual=, relu=)``), and its native CPU pass for
channels-last arrays."""

import numpy
import pytest
import torch

import chainvision
import chainvision.functions as F
import chainvision.links as L
from chainvision import native
from chainvision.functions.normalization import _native_batch_norm

needs_native = pytest.mark.skipif(
    native.library('batch_norm') is None, reason='native kernels unavailable here: {}'.format(
        native.unavailable_reason('batch_norm')))

CL = torch.channels_last


def _inputs(shape, dtype, seed=0):
    """x, residual, gamma, beta, dy: channels-last arrays of ``shape``."""
    g = torch.Generator().manual_seed(seed)
    channels = shape[1]
    x = (torch.randn(shape, generator=g) * 2 + 0.5).to(dtype).contiguous(memory_format=CL)
    residual = torch.randn(shape, generator=g).to(dtype).contiguous(memory_format=CL)
    gamma = torch.rand(channels, generator=g) + 0.5
    beta = torch.randn(channels, generator=g) * 0.1
    dy = torch.randn(shape, generator=g).to(dtype).contiguous(memory_format=CL)
    return x, residual, gamma, beta, dy


def _run(x, residual, gamma, beta, dy, relu, eps=2e-5, decay=0.9):
    """Output, gradients (x, gamma, beta, residual) and running statistics
    of ``F.batch_normalization`` on copies of the inputs."""
    x = x.detach().clone().requires_grad_()
    gamma = gamma.detach().clone().requires_grad_()
    beta = beta.detach().clone().requires_grad_()
    residual = None if residual is None else residual.detach().clone().requires_grad_()
    mean, var = torch.zeros(x.shape[1]), torch.ones(x.shape[1])
    y = F.batch_normalization(x, gamma, beta, eps, mean, var, decay, residual=residual, relu=relu)
    y.backward(dy)
    return y, x.grad, gamma.grad, beta.grad, None if residual is None else residual.grad, mean, var


SHAPES = [(2, 16, 4, 4), (3, 32, 5, 7), (2, 48, 20, 20), (8, 64, 1, 1)]


@needs_native
@pytest.mark.parametrize('shape', SHAPES)
@pytest.mark.parametrize('residual', [False, True])
@pytest.mark.parametrize('relu', [False, True])
def test_the_native_float32_pass_equals_pytorchs_operations(shape, residual, relu):
    """Blocks of rows cut at 256 (20x20x2 = 800 rows), a partial last block,
    H = W = 1; the reference is PyTorch's BatchNorm, addition and ReLU on
    the same values in NCHW memory (which the native pass does not take)."""
    x, r, gamma, beta, dy = _inputs(shape, torch.float32)
    r = r if residual else None
    assert _native_batch_norm.applies(x, gamma, beta, r, torch.zeros(shape[1]),
                                      torch.ones(shape[1]))
    nchw = [None if t is None else t.contiguous() for t in (x, r, gamma, beta, dy)]
    if shape[2:] != (1, 1):
        assert not _native_batch_norm.applies(nchw[0], gamma, beta, nchw[1], None, None)
    ours, reference = _run(x, r, gamma, beta, dy, relu), _run(*nchw, relu)
    for got, expected in zip(ours, reference):
        if expected is not None:
            torch.testing.assert_close(got, expected, rtol=1e-5, atol=1e-5)
    assert ours[0].stride() == x.stride()


@needs_native
@pytest.mark.parametrize('residual', [False, True])
def test_the_native_bfloat16_pass_computes_in_float32(residual):
    """bfloat16 in and out, float32 inside: against float64 arithmetic on the
    same bfloat16 values, within bfloat16's rounding (2^-8 relative), with
    the ReLU's mask of the pass itself (values at 0 may round either way)."""
    x, r, gamma, beta, dy = _inputs((4, 32, 8, 8), torch.bfloat16)
    r = r if residual else None
    y, dx, dgamma, dbeta, dr, running_mean, running_var = _run(x, r, gamma, beta, dy, True)
    assert y.dtype == dx.dtype == torch.bfloat16 and dgamma.dtype == torch.float32

    x64, dy64 = x.double(), dy.double()
    mean = x64.mean(dim=(0, 2, 3), keepdim=True)
    var = x64.var(dim=(0, 2, 3), unbiased=False, keepdim=True)
    xhat = (x64 - mean) / torch.sqrt(var + 2e-5)
    g, b = gamma.double().reshape(1, -1, 1, 1), beta.double().reshape(1, -1, 1, 1)
    before = g * xhat + b + (0 if r is None else r.double())
    mask = y > 0
    torch.testing.assert_close(y.double(), before.clamp(min=0), rtol=2 ** -8, atol=1e-2)
    grad = torch.where(mask, dy64, 0)
    m = grad.numel() // grad.shape[1]
    sum_g, sum_gx = grad.sum(dim=(0, 2, 3)), (grad * xhat).sum(dim=(0, 2, 3))
    expected_dx = g / torch.sqrt(var + 2e-5) * (
        grad - sum_g.reshape(1, -1, 1, 1) / m - xhat * sum_gx.reshape(1, -1, 1, 1) / m)
    torch.testing.assert_close(dx.double(), expected_dx, rtol=2 ** -7, atol=2e-2)
    torch.testing.assert_close(dgamma.double(), sum_gx, rtol=1e-4, atol=1e-3)
    torch.testing.assert_close(dbeta.double(), sum_g, rtol=1e-4, atol=1e-3)
    if r is not None:
        assert torch.equal(dr, grad.to(torch.bfloat16))
    torch.testing.assert_close(running_mean.double(), 0.1 * mean.flatten(), rtol=1e-5, atol=1e-6)
    unbiased = var.flatten() * m / (m - 1)
    torch.testing.assert_close(running_var.double(), 0.9 + 0.1 * unbiased, rtol=1e-5, atol=1e-6)


@needs_native
@pytest.mark.parametrize('dtype', [torch.float32, torch.bfloat16])
def test_the_native_pass_gives_the_same_bits_on_any_number_of_threads(dtype):
    """Per-block sums added in block order: a run resumed on another number
    of threads continues bitwise."""
    inputs = _inputs((4, 32, 12, 12), dtype)
    threads = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        one = _run(*inputs, relu=True)
        torch.set_num_threads(2)
        two = _run(*inputs, relu=True)
    finally:
        torch.set_num_threads(threads)
    assert all(torch.equal(a, b) for a, b in zip(one, two))


@needs_native
@pytest.mark.parametrize('dtype', [torch.float32, torch.bfloat16])
def test_nan_goes_through_the_relu(dtype):
    """A NaN input makes NaN outputs (ReLU keeps NaN, as PyTorch's does), so
    that a diverged run shows a NaN loss instead of zeros."""
    x, _, gamma, beta, _ = _inputs((2, 16, 3, 3), dtype)
    x[0, 0, 0, 0] = float('nan')
    y = F.batch_normalization(x, gamma, beta, relu=True)
    assert torch.isnan(y[:, 0]).all() and not torch.isnan(y[:, 1:]).any()


@needs_native
def test_the_running_statistics_are_seen_to_change():
    """The kernel writes them through pointers; their version counters move
    all the same (the inference form's cache watches them)."""
    link = L.BatchNormalization(16)
    x = torch.randn(2, 16, 3, 3).contiguous(memory_format=CL)
    versions = link.avg_mean._version, link.avg_var._version
    link(x, relu=True)
    assert link.avg_mean._version > versions[0] and link.avg_var._version > versions[1]
    assert not torch.equal(link.avg_mean, torch.zeros(16))


@pytest.mark.parametrize('x, why', [
    (torch.randn(2, 16, 3, 3), 'NCHW'),
    (torch.randn(2, 8, 3, 3).contiguous(memory_format=CL), '8 channels'),
    (torch.randn(2, 16, 3, 3, dtype=torch.float64).contiguous(memory_format=CL), 'float64'),
    (torch.randn(1, 16, 1, 1), 'one value per channel'),
    (torch.randn(2, 16, 3), '3-d'),
])
def test_inputs_the_kernel_does_not_take_go_through_pytorch(x, why):
    gamma, beta = torch.ones(x.shape[1]), torch.zeros(x.shape[1])
    assert not _native_batch_norm.applies(x, gamma, beta, None, None, None), why


def test_graph_capture_goes_through_pytorch(monkeypatch):
    x = torch.randn(2, 16, 3, 3).contiguous(memory_format=CL)
    monkeypatch.setattr(torch.compiler, 'is_compiling', lambda: True)
    assert not _native_batch_norm.applies(x, torch.ones(16), torch.zeros(16), None, None, None)


@needs_native
@pytest.mark.parametrize('residual', [None, 'channels-last', 'NCHW'])
def test_gradients_of_gradients_are_pytorchs(residual):
    """backward(create_graph=True) through the native pass (a gradient
    penalty): the same second derivatives as PyTorch's operations give,
    also for the residual (which the kernel reads from a channels-last copy
    when it is not)."""
    x, r, gamma, beta, _ = _inputs((4, 16, 5, 5), torch.float32)
    r = {None: None, 'channels-last': r, 'NCHW': r.contiguous()}[residual]

    def penalty(x, r):
        x = x.detach().clone().requires_grad_()
        g = gamma.clone().requires_grad_()
        r = None if r is None else r.detach().clone().requires_grad_()
        y = F.batch_normalization(x, g, beta, residual=r, relu=True)
        grad_x, = torch.autograd.grad((y * y.detach()).sum(), x, create_graph=True)
        grad_x.square().sum().backward()
        return x.grad, g.grad, None if r is None else r.grad

    assert _native_batch_norm.applies(x, gamma, beta, r, None, None)
    nchw = None if r is None else r.contiguous()
    for got, expected in zip(penalty(x, r), penalty(x.contiguous(), nchw)):
        if expected is not None:
            torch.testing.assert_close(got, expected, rtol=1e-4, atol=1e-5)


def test_torch_func_transforms_go_through_pytorch():
    """A parameter wrapped by torch.func.grad has no memory of its own to
    hand the kernel: the gradient comes from PyTorch's operations."""
    x = torch.randn(4, 16, 3, 3).contiguous(memory_format=CL)
    beta = torch.zeros(16)

    def loss(gamma):
        return (F.batch_normalization(x, gamma, beta, relu=True) * x).sum()

    gamma = torch.rand(16) + 0.5
    expected_gamma = gamma.clone().requires_grad_()
    loss(expected_gamma).backward()
    torch.testing.assert_close(torch.func.grad(loss)(gamma), expected_gamma.grad,
                               rtol=1e-5, atol=1e-5)


def test_residual_and_relu_compose_as_the_three_operations():
    """Wherever it runs: ``relu(BN(x) + residual)``, in float64 exactly."""
    x = numpy.random.RandomState(0).randn(4, 3, 2, 2)
    residual = numpy.random.RandomState(1).randn(4, 3, 2, 2)
    gamma, beta = numpy.array([1., 2., .5]), numpy.array([0., .1, -.2])
    y = F.batch_normalization(x, gamma, beta, residual=residual, relu=True)
    expected = F.relu(F.batch_normalization(x, gamma, beta) + torch.from_numpy(residual))
    assert torch.equal(y, expected)
    fixed = F.fixed_batch_normalization(x, gamma, beta, numpy.zeros(3), numpy.ones(3),
                                        residual=residual)
    assert torch.equal(fixed, F.fixed_batch_normalization(
        x, gamma, beta, numpy.zeros(3), numpy.ones(3)) + torch.from_numpy(residual))


def test_a_residual_of_another_dtype_is_added_out_of_place():
    h = F.batch_normalization(torch.randn(2, 3, 4, 4, dtype=torch.float32), torch.ones(3),
                              torch.zeros(3), residual=torch.ones(2, 3, 4, 4, dtype=torch.float64))
    assert h.dtype == torch.float64


@pytest.mark.parametrize('link_type', [L.BatchNormalization, L.BatchRenormalization])
def test_the_link_adds_the_residual_and_applies_relu_in_training_and_inference(link_type):
    torch.manual_seed(0)
    link = link_type(16)
    x = torch.randn(4, 16, 3, 3).contiguous(memory_format=CL)
    residual = torch.randn(4, 16, 3, 3).contiguous(memory_format=CL)
    plain = link_type(16)
    y = link(x, residual=residual, relu=True)
    torch.testing.assert_close(y, torch.relu(plain(x) + residual), rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(link.avg_var, plain.avg_var)
    with chainvision.using_config('train', False):
        torch.testing.assert_close(link(x, residual=residual, relu=True),
                                   torch.relu(link(x) + residual))


def test_the_link_refuses_other_arguments():
    with pytest.raises(TypeError):
        L.BatchNormalization(3)(torch.randn(2, 3), activation='relu')
