"""The native CPU pass of ``F.max_pooling_2d`` for channels-last arrays of
few channels: the same outputs and gradients as PyTorch's operations under
Chainer's rules (padding never wins, the first maximum of a window does)."""

import pytest
import torch

import chainvision.functions as F
from chainvision import native
from chainvision.functions.pooling import _native_max_pooling
from chainvision.functions.pooling.max_pooling_2d import _torch_max_pooling
from chainvision.utils.conv import get_conv_outsize

needs_native = pytest.mark.skipif(
    native.library('max_pooling') is None, reason='native kernels unavailable here: {}'.format(
        native.unavailable_reason('max_pooling')))

CL = torch.channels_last


def _tied(shape, dtype, seed=0):
    """A channels-last array whose values repeat (one decimal), so that
    windows hold ties."""
    g = torch.Generator().manual_seed(seed)
    return torch.randn(shape, generator=g).round(decimals=1).to(dtype).contiguous(
        memory_format=CL)


def _pool(x, dy, pooling):
    """Output and input gradient of ``pooling`` on a copy of ``x``."""
    x = x.detach().clone().requires_grad_()
    y = pooling(x)
    y.backward(dy)
    return y, x.grad


def _both(x, k, s, p, cover_all, seed=1, dy=None):
    """(native output, gradient), (PyTorch's output, gradient) and the
    output gradient used (random unless given), for windows k, stride s,
    padding p."""
    outs = [get_conv_outsize(size, k, s, p, cover_all) for size in x.shape[2:]]
    if dy is None:
        dy = torch.randn([x.shape[0], x.shape[1]] + outs,
                         generator=torch.Generator().manual_seed(seed)).to(x.dtype)

    def torch_pooling(t):
        return _torch_max_pooling(t, (k, k), (s, s), (p, p), outs, cover_all)

    def native_pooling(t):
        return _native_max_pooling.max_pool(t, (k, k), (s, s), (p, p), outs)

    return _pool(x, dy, native_pooling), _pool(x, dy, torch_pooling), dy


# (k, s, p, cover_all): non-overlapping, overlapping, stride 1, a window past
# the end (cover_all), a window wholly in the padding (k=2, s=2, p=1 on an
# odd size), 1x1.
WINDOWS = [(2, 2, 0, True), (3, 2, 1, True), (3, 2, 1, False), (3, 1, 1, True),
           (2, 2, 1, True), (3, 3, 0, True), (1, 1, 0, True)]
SHAPES = [(2, 6, 24, 24), (3, 1, 5, 7), (2, 15, 9, 9), (2, 33, 6, 5)]


@needs_native
@pytest.mark.parametrize('shape', SHAPES)
@pytest.mark.parametrize('window', WINDOWS)
def test_the_native_float32_pass_equals_pytorchs_operations(shape, window):
    """Bitwise: outputs and gradients (tied maxima included), for any number
    of channels the kernel is given (33: two whole vectors and a masked one)."""
    (y, dx), (expected_y, expected_dx), _ = _both(_tied(shape, torch.float32), *window)
    assert y.is_contiguous(memory_format=CL) and dx.is_contiguous(memory_format=CL)
    assert torch.equal(y, expected_y) and torch.equal(dx, expected_dx)


@needs_native
@pytest.mark.parametrize('window', WINDOWS)
def test_the_native_bfloat16_gradient_is_summed_in_float32(window):
    """Outputs equal PyTorch's; where windows overlap an input's gradient is
    the sum of several, added in float32 and rounded once: the float64 sum
    rounded to bfloat16."""
    x = _tied((2, 6, 11, 11), torch.bfloat16)
    (y, dx), (expected_y, _), dy = _both(x, *window)
    assert y.dtype == dx.dtype == torch.bfloat16
    assert torch.equal(y, expected_y)
    k, s, p, cover_all = window
    x64 = x.double().requires_grad_()
    F.max_pooling_2d(x64, k, s, p, cover_all).backward(dy.double())
    assert torch.equal(dx, x64.grad.to(torch.bfloat16))


@needs_native
def test_the_functions_pass_is_native_for_few_channels():
    x = _tied((2, 6, 8, 8), torch.float32)
    assert _native_max_pooling.applies(x, (2, 2))
    y = F.max_pooling_2d(x.requires_grad_(), 2)
    assert type(y.grad_fn).__name__ == '_MaxPoolBackward'
    assert torch.equal(y, F.max_pooling_2d(x.detach().contiguous(), 2))


@needs_native
def test_the_first_nan_of_a_window_wins_as_in_chainer():
    """NaN is the maximum (as numpy's argmax, which Chainer uses, makes it),
    and of two NaNs the first in window order takes the gradient."""
    x = torch.arange(16.).reshape(1, 1, 4, 4).contiguous(memory_format=CL)
    x[0, 0, 0, 1] = x[0, 0, 1, 0] = float('nan')
    x.requires_grad_()
    y = F.max_pooling_2d(x, 2)
    y.backward(torch.ones_like(y))
    assert torch.isnan(y[0, 0, 0, 0]) and torch.equal(y[0, 0, 1], torch.tensor([13., 15.]))
    expected = torch.zeros(4, 4)
    expected[0, 1] = expected[1, 3] = expected[3, 1] = expected[3, 3] = 1
    assert torch.equal(x.grad[0, 0], expected)


@needs_native
def test_a_window_of_minus_infinity_still_takes_its_gradient():
    """Its first position wins (the maximum is -inf, not 'no maximum');
    only a window wholly in the padding passes no gradient."""
    x = torch.full((1, 2, 2, 2), -float('inf')).contiguous(memory_format=CL).requires_grad_()
    y = F.max_pooling_2d(x, 2)
    y.backward(torch.ones_like(y))
    assert torch.equal(x.grad[:, :, 0, 0], torch.ones(1, 2))
    assert x.grad.sum() == 2


@needs_native
@pytest.mark.parametrize('dtype', [torch.float32, torch.bfloat16])
def test_the_native_pass_gives_the_same_bits_on_any_number_of_threads(dtype):
    x = _tied((4, 6, 13, 13), dtype)
    threads = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        one, _, _ = _both(x, 3, 2, 1, True)
        torch.set_num_threads(2)
        two, _, _ = _both(x, 3, 2, 1, True)
    finally:
        torch.set_num_threads(threads)
    assert all(torch.equal(a, b) for a, b in zip(one, two))


@needs_native
def test_bfloat16_values_are_copied_bit_for_bit():
    """Subnormals (which AVX-512 BF16's rounding instruction would flush to
    zero) and NaN payloads come out as they went in."""
    bits = torch.tensor([0x0001, 0x0080, 0x8001, 0x7FC1, 0xFFA0, 0x3F80],
                        dtype=torch.int32).to(torch.int16)
    x = bits.view(torch.bfloat16).view(1, 6, 1, 1).expand(2, 6, 2, 2).contiguous(
        memory_format=CL)
    assert _native_max_pooling.applies(x, (2, 2))
    y = F.max_pooling_2d(x, 2)
    assert torch.equal(y.view(torch.int16).flatten(), bits.repeat(2))


@needs_native
@pytest.mark.parametrize('window', [(2, 2, 0, True), (3, 1, 1, True)])
def test_subnormal_bfloat16_gradients_are_kept(window):
    """Copied where windows do not overlap, summed and rounded as PyTorch
    rounds where they do: the float64 sum rounded to bfloat16."""
    x = _tied((2, 6, 6, 6), torch.bfloat16)
    k, s, p, cover_all = window
    y = F.max_pooling_2d(x.clone().requires_grad_(), k, s, p, cover_all)
    dy = torch.full(y.shape, 0x0003, dtype=torch.int16).view(torch.bfloat16)
    (_, dx), _, _ = _both(x, *window, dy=dy)
    x64 = x.double().requires_grad_()
    F.max_pooling_2d(x64, k, s, p, cover_all).backward(dy.double())
    assert torch.equal(dx, x64.grad.to(torch.bfloat16)) and (dx != 0).any()


@needs_native
@pytest.mark.parametrize('ksize, taken', [((2, 127), True), ((15, 17), False), ((16, 16), False)])
def test_windows_of_up_to_254_positions_are_native(ksize, taken):
    """The winners are uint8 window positions, 255 meaning none."""
    x = torch.randn(1, 3, 20, 130).contiguous(memory_format=CL)
    assert _native_max_pooling.applies(x, ksize) == taken


@needs_native
@pytest.mark.parametrize('x, ksize, why', [
    (torch.randn(2, 6, 3, 3), (2, 2), 'NCHW'),
    (torch.randn(2, 16, 3, 3).contiguous(memory_format=CL), (2, 2),
     '16 channels: PyTorch vectorises them as fast'),
    (torch.randn(2, 6, 3, 3, dtype=torch.float64).contiguous(memory_format=CL), (2, 2),
     'float64'),
    (torch.randn(2, 6, 3), (2, 2), '3-d'),
    (torch.randn(1, 6, 16, 16).contiguous(memory_format=CL), (16, 16),
     '256 window positions do not fit the uint8 winners'),
])
def test_inputs_the_kernel_does_not_take_go_through_pytorch(x, ksize, why):
    assert not _native_max_pooling.applies(x, ksize), why


@needs_native
def test_graph_capture_goes_through_pytorch(monkeypatch):
    x = torch.randn(2, 6, 4, 4).contiguous(memory_format=CL)
    monkeypatch.setattr(torch.compiler, 'is_compiling', lambda: True)
    assert not _native_max_pooling.applies(x, (2, 2))


def test_indices_are_returned_by_pytorchs_pass():
    """return_indices (Chainer's window positions) is PyTorch's pass,
    whatever the layout."""
    x = _tied((2, 6, 6, 6), torch.float32)
    y, indices = F.max_pooling_2d(x, 3, 2, 1, return_indices=True)
    expected_y, expected_indices = F.max_pooling_2d(x.contiguous(), 3, 2, 1,
                                                    return_indices=True)
    assert torch.equal(y, expected_y) and torch.equal(indices, expected_indices)


@needs_native
def test_gradients_of_gradients_are_pytorchs():
    """backward(create_graph=True) through the native pass: the gradient is
    differentiable in the output gradient, as PyTorch's pooling's is."""
    x = _tied((2, 6, 7, 7), torch.float32)

    def penalty(x):
        x = x.detach().clone().requires_grad_()
        y = F.max_pooling_2d(x, 3, 2, 1)
        grad_x, = torch.autograd.grad((y * y).sum(), x, create_graph=True)
        grad_x.square().sum().backward()
        return x.grad

    assert _native_max_pooling.applies(x, (3, 3))
    assert torch.equal(penalty(x), penalty(x.contiguous()))


@needs_native
@pytest.mark.parametrize('dtype', [torch.float32, torch.bfloat16])
def test_create_graph_does_not_change_the_gradient(dtype):
    """Under create_graph the gradient is the same scatter to the winners in
    PyTorch's operations: Chainer's rules hold there too (the first of two
    NaNs, -inf inputs against a window wholly in the padding)."""
    x = _tied((2, 6, 5, 5), dtype)
    x[0, 0, 0, 0] = x[0, 0, 1, 1] = float('nan')
    x[1] = -float('inf')

    def gradient(create_graph):
        t = x.clone().requires_grad_()
        y = F.max_pooling_2d(t, 2, 2, 1)
        dy = torch.arange(y.numel(), dtype=torch.float32).view(y.shape).to(dtype)
        grad, = torch.autograd.grad(y, t, dy, create_graph=create_graph)
        return grad

    assert torch.equal(gradient(True), gradient(False))
