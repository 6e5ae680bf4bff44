"""Training-mode batch normalization, with its residual addition and ReLU,
in one native pass each way (:mod:`chainvision.native`'s ``batch_norm.c``)
where the input suits the kernel: a 4-d channels-last CPU tensor in float32
or bfloat16 with a multiple of 16 channels, float32 parameters and
statistics.  :func:`batch_normalization` uses it through :func:`applies`
and :func:`batch_norm`; elsewhere it runs PyTorch's operations."""

import ctypes

import torch

from chainvision import native

_LANES = 16   # channels per AVX-512 vector of float32


def _kernels():
    """``{storage type: (forward, backward)}`` of the library, or ``None``
    where it does not run here."""
    p, i64, f64, flag = ctypes.c_void_p, ctypes.c_int64, ctypes.c_double, ctypes.c_int
    return native.entry_points('batch_norm', (p, p, p, i64, i64, p, p, f64, f64, p, p, p, p, flag),
                               (p, p, p, p, p, i64, i64, p, p, p, p, p, p, flag))


def _is_float32_vector(t, channels):
    return (t is not None and native.takes(t) and t.dtype == torch.float32
            and tuple(t.shape) == (channels,) and t.is_contiguous())


def applies(x, gamma, beta, residual, running_mean, running_var):
    """Whether :func:`batch_norm` runs the native kernel on these arrays
    (else the caller runs PyTorch's operations)."""
    if (not native.takes(x) or x.ndim != 4
            or x.dtype not in native.STORAGE_TYPES or x.shape[1] % _LANES
            or x.numel() <= x.shape[1]
            or not x.is_contiguous(memory_format=torch.channels_last)):
        return False
    channels = x.shape[1]
    if not (_is_float32_vector(gamma, channels) and _is_float32_vector(beta, channels)):
        return False
    if (running_mean is None) != (running_var is None) or running_mean is not None and not (
            _is_float32_vector(running_mean, channels)
            and _is_float32_vector(running_var, channels)):
        return False
    if residual is not None and (not native.takes(residual) or residual.shape != x.shape
                                 or residual.dtype != x.dtype or residual.device != x.device):
        return False
    return _kernels() is not None


def _pointer(t):
    return None if t is None else t.data_ptr()


class _BatchNorm(torch.autograd.Function):
    """``y = relu?(gamma * (x - mean) / sqrt(var + eps) + beta + residual?)``
    with the batch's mean and biased variance; the running statistics
    updated in place by Chainer's rule."""

    @staticmethod
    def forward(ctx, x, gamma, beta, residual, running_mean, running_var, eps, decay, relu):
        rows, channels = x.numel() // x.shape[1], x.shape[1]
        forward, _ = _kernels()[native.STORAGE_TYPES[x.dtype]]
        # The kernel reads the residual in x's memory order; the residual
        # itself is what backward(create_graph=True) differentiates.
        residual_memory = (None if residual is None
                           else residual.contiguous(memory_format=torch.channels_last))
        # empty_like keeps x's strides (a channels-last x with H = W = 1 may
        # have NCHW strides, the same memory order), as PyTorch's ops do.
        y = torch.empty_like(x)
        mean = x.new_empty(channels, dtype=torch.float32)
        invstd = torch.empty_like(mean)
        status = forward(x.data_ptr(), _pointer(residual_memory), y.data_ptr(), rows, channels,
                         gamma.data_ptr(), beta.data_ptr(), eps, decay, _pointer(running_mean),
                         _pointer(running_var), mean.data_ptr(), invstd.data_ptr(), int(relu))
        _check(status)
        if running_mean is not None:
            # Written through pointers: tell PyTorch they changed (the
            # inference form's cache watches the version counters).
            torch.autograd.graph.increment_version((running_mean, running_var))
        # With a residual, the ReLU's mask is read from y (x alone cannot tell it).
        ctx.save_for_backward(x, gamma, beta, mean, invstd,
                              y if relu and residual is not None else None, residual)
        ctx.relu = relu
        ctx.eps = eps
        return y

    @staticmethod
    def backward(ctx, dy):
        if torch.is_grad_enabled():   # backward(create_graph=True): a gradient of gradients
            return _differentiable_backward(ctx, dy)
        x, gamma, beta, mean, invstd, y, _ = ctx.saved_tensors
        rows, channels = x.numel() // x.shape[1], x.shape[1]
        _, backward = _kernels()[native.STORAGE_TYPES[x.dtype]]
        dy = dy.to(x.dtype).contiguous(memory_format=torch.channels_last)
        dx = torch.empty_like(x)
        dresidual = torch.empty_like(dx) if ctx.needs_input_grad[3] else None
        dgamma = torch.empty_like(mean)
        dbeta = torch.empty_like(mean)
        status = backward(dy.data_ptr(), x.data_ptr(), _pointer(y), dx.data_ptr(),
                          _pointer(dresidual), rows, channels, gamma.data_ptr(),
                          beta.data_ptr(), mean.data_ptr(), invstd.data_ptr(),
                          dgamma.data_ptr(), dbeta.data_ptr(), int(ctx.relu))
        _check(status)
        return dx, dgamma, dbeta, dresidual, None, None, None, None, None


def _differentiable_backward(ctx, dy):
    """The gradients as PyTorch's operations give them, themselves
    differentiable (as Chainer's batch normalization is, twice): the
    forward pass again in PyTorch's operations, differentiated with
    ``create_graph``."""
    x, gamma, beta, _, _, _, residual = ctx.saved_tensors
    h = torch.nn.functional.batch_norm(x, None, None, gamma, beta, True, 0.0, ctx.eps)
    if residual is not None:
        h = h + residual
    if ctx.relu:
        h = torch.relu(h)
    inputs = (x, gamma, beta, residual)
    wanted = [t for t, needed in zip(inputs, ctx.needs_input_grad) if needed and t is not None]
    grads = iter(torch.autograd.grad(h, wanted, dy, create_graph=True))
    return tuple(next(grads) if needed and t is not None else None
                 for t, needed in zip(inputs, ctx.needs_input_grad)) + (None,) * 5


def _check(status):
    if status != 0:
        raise MemoryError('the native batch normalization kernel could not allocate its '
                          'per-block sums.')


def batch_norm(x, gamma, beta, eps, running_mean, running_var, decay, residual, relu):
    """The native pass (:func:`applies` must hold): ``relu?(BN(x) +
    residual?)`` of the shape, dtype and (channels-last) layout of ``x``."""
    return _BatchNorm.apply(x, gamma, beta, residual, running_mean, running_var, float(eps),
                            float(decay), bool(relu))
