"""Two-dimensional max pooling in one native pass each way
(:mod:`chainvision.native`'s ``max_pooling.c``) where it pays: a 4-d
channels-last CPU tensor in float32 or bfloat16 with fewer than 16 channels
(the kernel itself takes any number).  :func:`max_pooling_2d` uses it
through :func:`applies` and :func:`max_pool`; elsewhere it runs PyTorch's
operations."""

import ctypes

import torch

from chainvision import native

# The winners are uint8 window positions; 255 marks a window wholly outside
# the input.
_MAX_WINDOW = 255
_LANES = 16   # channels per AVX-512 vector of float32


class _Geometry(ctypes.Structure):
    """The kernel's view of a pooling: input (N, H, W, C), output (OH, OW),
    window, stride and padding."""
    _fields_ = [(name, ctypes.c_int64) for name in
                ('n', 'h', 'w', 'c', 'out_h', 'out_w', 'kh', 'kw', 'sh', 'sw', 'ph', 'pw')]


def _kernels():
    """``{storage type: (forward, backward)}`` of the library, or ``None``
    where it does not run here."""
    p, geometry = ctypes.c_void_p, ctypes.POINTER(_Geometry)
    return native.entry_points('max_pooling', (p, p, p, geometry), (p, p, p, geometry))


def applies(x, ksize):
    """Whether :func:`max_pool` runs the native kernel on ``x`` with windows
    of ``ksize`` (else the caller runs PyTorch's operations)."""
    # PyTorch's channels-last kernel vectorises over whole vectors of 16
    # channels and runs scalar code for fewer; with 16 or more it is as
    # fast as this kernel or faster (2x with 64 channels: this one pays for
    # Chainer's NaN rule in every comparison).
    return (native.takes(x) and x.ndim == 4 and x.shape[1] < _LANES
            and x.dtype in native.STORAGE_TYPES and x.numel() > 0
            and x.is_contiguous(memory_format=torch.channels_last)
            and ksize[0] * ksize[1] < _MAX_WINDOW and _kernels() is not None)


class _MaxPool(torch.autograd.Function):
    """Max pooling of a channels-last ``x`` into ``outs``; windows outside
    the input never win, the first maximum in window order does."""

    @staticmethod
    def forward(ctx, x, ksize, stride, pad, outs):
        n, c, h, w = x.shape
        geometry = _Geometry(n, h, w, c, outs[0], outs[1], ksize[0], ksize[1], stride[0],
                             stride[1], pad[0], pad[1])
        forward, _ = _kernels()[native.STORAGE_TYPES[x.dtype]]
        y = torch.empty((n, c) + tuple(outs), dtype=x.dtype, memory_format=torch.channels_last)
        winners = torch.empty_like(y, dtype=torch.uint8)
        # The forward pass allocates nothing: its status is always 0.
        forward(x.data_ptr(), y.data_ptr(), winners.data_ptr(), ctypes.byref(geometry))
        ctx.save_for_backward(winners)
        ctx.geometry = geometry
        ctx.input_dtype = x.dtype
        return y

    @staticmethod
    def backward(ctx, dy):
        winners, = ctx.saved_tensors
        if torch.is_grad_enabled():   # backward(create_graph=True): a gradient of gradients
            dx = _scatter_to_winners(dy, winners, ctx.geometry, ctx.input_dtype)
        else:
            dx = _native_backward(dy, winners, ctx.geometry, ctx.input_dtype)
        return dx, None, None, None, None


def _native_backward(dy, winners, g, dtype):
    """The kernel's input gradient: each output's gradient at its winner's
    input position."""
    _, backward = _kernels()[native.STORAGE_TYPES[dtype]]
    dy = dy.to(dtype).contiguous(memory_format=torch.channels_last)
    dx = torch.empty((g.n, g.c, g.h, g.w), dtype=dtype, memory_format=torch.channels_last)
    if backward(dy.data_ptr(), winners.data_ptr(), dx.data_ptr(), ctypes.byref(g)):
        raise MemoryError('the native max pooling kernel could not allocate its float32 '
                          'gradient sums ({} bytes a thread).'.format(g.c * g.h * g.w * 4))
    return dx


def _scatter_to_winners(dy, winners, g, dtype):
    """:func:`_native_backward` in PyTorch's operations, differentiable
    in ``dy`` (the pooling is piecewise linear, so that is all its gradient
    depends on): each output's gradient added, in float32, at its winner's
    input position."""
    n, c, out_h, out_w = dy.shape
    positions = winners.long()
    rows = torch.arange(out_h).view(-1, 1) * g.sh - g.ph + positions // g.kw
    cols = torch.arange(out_w) * g.sw - g.pw + positions % g.kw
    won = winners != _MAX_WINDOW   # a window wholly outside the input passes nothing
    index = torch.where(won, rows * g.w + cols, 0).flatten(2)
    grads = torch.where(won, dy.float(), 0).flatten(2)
    dx = grads.new_zeros(n, c, g.h * g.w).scatter_add(2, index, grads)
    return dx.view(n, c, g.h, g.w).to(dtype).contiguous(memory_format=torch.channels_last)


def max_pool(x, ksize, stride, pad, outs):
    """The native pass (:func:`applies` must hold): the ``(N, C, *outs)``
    maxima of ``ksize`` windows at ``stride`` over ``x`` padded by ``pad``
    (padding never wins), channels-last."""
    return _MaxPool.apply(x, tuple(ksize), tuple(stride), tuple(pad), tuple(outs))
