"""Two-dimensional max pooling in one native pass each way
(:mod:`chainvision.native`'s ``max_pooling.c``) where it pays: a 4-d
channels-last CPU tensor in float32 or bfloat16 with fewer than 16 channels
(the kernel itself takes any number).  :func:`max_pooling_2d` uses it
through :func:`applies` and :func:`max_pool`; elsewhere it runs PyTorch's
operations."""

import ctypes

import torch

from chainvision import native

# The winners are uint8 window positions; 255 marks a window outside the input.
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
    def forward(ctx, x, ksize, stride, pad, outs, differentiable_pooling):
        n, c, h, w = x.shape
        geometry = _Geometry(n, h, w, c, outs[0], outs[1], ksize[0], ksize[1], stride[0],
                             stride[1], pad[0], pad[1])
        forward, _ = _kernels()[native.STORAGE_TYPES[x.dtype]]
        y = torch.empty((n, c) + tuple(outs), dtype=x.dtype, memory_format=torch.channels_last)
        winners = torch.empty_like(y, dtype=torch.uint8)
        # The forward pass allocates nothing: its status is always 0.
        forward(x.data_ptr(), y.data_ptr(), winners.data_ptr(), ctypes.byref(geometry))
        # x is kept only for gradients of gradients (PyTorch's pooling keeps it too).
        ctx.save_for_backward(x, winners)
        ctx.geometry = geometry
        ctx.differentiable_pooling = differentiable_pooling
        return y

    @staticmethod
    def backward(ctx, dy):
        x, winners = ctx.saved_tensors
        if torch.is_grad_enabled():   # backward(create_graph=True): a gradient of gradients
            # The pooling is piecewise linear: its gradient depends on x only
            # through the winners, so x's own gradient of it is zero.
            detached = x.detach().requires_grad_()
            y = ctx.differentiable_pooling(detached)
            return (torch.autograd.grad(y, detached, dy, create_graph=True)[0],
                    None, None, None, None, None)
        _, backward = _kernels()[native.STORAGE_TYPES[x.dtype]]
        dy = dy.to(x.dtype).contiguous(memory_format=torch.channels_last)
        dx = torch.empty_like(x, memory_format=torch.channels_last)
        if backward(dy.data_ptr(), winners.data_ptr(), dx.data_ptr(), ctypes.byref(ctx.geometry)):
            raise MemoryError('the native max pooling kernel could not allocate its float32 '
                              'gradient sums ({} bytes a thread).'.format(x[0].numel() * 4))
        return dx, None, None, None, None, None


def max_pool(x, ksize, stride, pad, outs, differentiable_pooling):
    """The native pass (:func:`applies` must hold): the ``(N, C, *outs)``
    maxima of ``ksize`` windows at ``stride`` over ``x`` padded by ``pad``
    (padding never wins), channels-last.  ``differentiable_pooling(x)``
    computes the same with PyTorch's operations, for gradients of
    gradients."""
    return _MaxPool.apply(x, tuple(ksize), tuple(stride), tuple(pad), tuple(outs),
                          differentiable_pooling)
