"""Batch normalization, with batch statistics or fixed ones, optionally
followed by a residual addition and ReLU."""

import warnings

import torch
import torch.nn.functional as torch_f

from chainvision.backend import as_tensor, as_tensors
from chainvision.functions._dtypes import in_common_dtype
from chainvision.functions.normalization import _native_batch_norm
from chainvision.utils.type_check import InvalidType


def _param_shape(x, axis):
    return [x.shape[i] if i not in axis else 1 for i in range(x.ndim)]


def _channel_axis(x, gamma, axis):
    if axis is None:
        axis = (0,) + tuple(range(gamma.ndim + 1, x.ndim))
    elif isinstance(axis, int):
        axis = (axis,)
    return tuple(axis)


def _check_param_shape(x, gamma, axis):
    expected = tuple(x.shape[i] for i in range(x.ndim) if i not in axis)
    if tuple(gamma.shape) != expected:
        raise InvalidType('gamma.shape == {}'.format(expected), 'gamma.shape = {}'.format(
            tuple(gamma.shape)), 'batch normalization of x of shape {} over axes {} needs '
            'parameters of shape {}, got {}.'.format(tuple(x.shape), axis, expected,
                                                     tuple(gamma.shape)))


def _is_channel_first(x, gamma, axis):
    return axis == (0,) + tuple(range(2, x.ndim)) and gamma.ndim == 1


def _kernel_takes_dtypes(x, *arrays):
    """PyTorch's batch-norm kernel takes parameters and statistics in ``x``'s
    dtype, or in float32 for a float16/bfloat16 ``x`` (as autocast runs it)."""
    dtypes = {a.dtype for a in arrays if a is not None}
    return dtypes == {x.dtype} or (
        x.dtype in (torch.float16, torch.bfloat16) and dtypes == {torch.float32})


def add_residual_relu(h, residual=None, relu=False):
    """``relu?(h + residual?)``: what follows the normalization in
    :func:`batch_normalization` and :func:`fixed_batch_normalization` (and
    in a BatchNorm folded into its convolution), in place on ``h``, a fresh
    result, where ``residual`` has its dtype and shape (else the sum is a new
    array of the promoted dtype and broadcast shape)."""
    if residual is not None:
        residual = as_tensor(residual, h)
        same = residual.dtype == h.dtype and residual.shape == h.shape
        h = h.add_(residual) if same else h + residual
    return torch.relu_(h) if relu else h


def batch_normalization(x, gamma, beta, eps=2e-5, running_mean=None, running_var=None,
                        decay=0.9, axis=None, *, residual=None, relu=False):
    """Normalize ``x`` with the batch's mean and (biased) variance, then
    scale by ``gamma`` and shift by ``beta``; optionally add ``residual``
    and apply ReLU, ``relu(BN(x) + residual)``, the end of a residual block.

    On the CPU, a 4-d channels-last ``x`` in float32 or bfloat16 with a
    multiple of 16 channels is normalized, added and rectified in one
    native pass each way (:mod:`chainvision.native`), 1.3-3.4x faster than
    PyTorch's three operations (``benchmarks/native_kernels.py``); its
    results equal theirs within rounding (one rounding to bfloat16 instead
    of two).

    Args:
        x: input ``(N, C, ...)``.
        gamma, beta: arrays of shape ``(C,)`` (or the shape of ``x`` without
            the reduced axes).
        eps (float): added to the variance (Chainer's default ``2e-5``).
        running_mean, running_var: tensors or NumPy arrays updated in place,
            if given, by Chainer's rule ``r = decay * r + (1 - decay) *
            batch_stat``, with the *unbiased* batch variance for
            ``running_var``.
        decay (float): the decay of the running averages.
        axis: the axes to reduce; default all but the channel axis 1.
        residual: an array of the shape of the output, added after the
            normalization (chainvision's extension; default none).
        relu (bool): apply ReLU last (chainvision's extension).

    Returns:
        torch.Tensor of the shape and dtype of ``x`` (mixed dtypes of ``x``
        and ``gamma``/``beta`` are computed in the promoted one, as in
        Chainer).
    """
    x, gamma, beta = as_tensors(x, gamma, beta)
    # NumPy running statistics are shared, not copied: the caller sees the update.
    running_mean = None if running_mean is None else as_tensor(running_mean)
    running_var = None if running_var is None else as_tensor(running_var)
    axis = _channel_axis(x, gamma, axis)
    _check_param_shape(x, gamma, axis)
    if all(x.shape[i] == 1 for i in axis):
        warnings.warn('batch_normalization got one value per channel (x of shape {} reduced over '
                      'axes {}): the output is beta, whatever x is. Evaluating with '
                      "config.train=True, or a last batch of one example, does this.".format(
                          tuple(x.shape), axis), UserWarning, stacklevel=2)
    if _is_channel_first(x, gamma, axis) and _native_batch_norm.applies(
            x, gamma, beta, residual, running_mean, running_var):
        return _native_batch_norm.batch_norm(x, gamma, beta, eps, running_mean, running_var,
                                             decay, residual, relu)
    return add_residual_relu(_normalize(x, gamma, beta, eps, running_mean, running_var, decay,
                                        axis), residual, relu)


def _normalize(x, gamma, beta, eps, running_mean, running_var, decay, axis):
    # PyTorch's kernel refuses a single value per channel; Chainer gives var 0.
    if _is_channel_first(x, gamma, axis) and x.numel() > x.shape[1] and _kernel_takes_dtypes(
            x, gamma, beta, running_mean, running_var):
        return torch_f.batch_norm(x, running_mean, running_var, gamma, beta, True,
                                  1.0 - decay, eps)
    cast_back, x, gamma, beta = in_common_dtype(x, gamma, beta)
    mean = x.mean(dim=axis, keepdim=True)
    var = x.var(dim=axis, unbiased=False, keepdim=True)
    if running_mean is not None:
        count = x.numel() // gamma.numel()
        with torch.no_grad():
            running_mean.mul_(decay).add_((1 - decay) * mean.reshape(running_mean.shape))
            unbiased = var * count / max(count - 1, 1)
            running_var.mul_(decay).add_((1 - decay) * unbiased.reshape(running_var.shape))
    shape = _param_shape(x, axis)
    return cast_back((x - mean) * torch.rsqrt(var + eps) * gamma.reshape(shape)
                     + beta.reshape(shape))


def fixed_batch_normalization(x, gamma, beta, mean, var, eps=2e-5, axis=None, *,
                              residual=None, relu=False):
    """Normalize ``x`` with given statistics (inference mode):
    ``gamma * (x - mean) / sqrt(var + eps) + beta``, then add ``residual``
    and apply ReLU if given; shapes as in :func:`batch_normalization`.
    Differentiable w.r.t. all five inputs, as in Chainer.  The result has
    ``x``'s dtype (mixed dtypes are computed in the promoted one)."""
    return add_residual_relu(_normalize_fixed(x, gamma, beta, mean, var, eps, axis), residual,
                             relu)


def _normalize_fixed(x, gamma, beta, mean, var, eps, axis):
    x, gamma, beta, mean, var = as_tensors(x, gamma, beta, mean, var)
    axis = _channel_axis(x, gamma, axis)
    _check_param_shape(x, gamma, axis)
    # PyTorch's fused kernel cannot differentiate w.r.t. the statistics.
    statistics_need_grad = mean.requires_grad or var.requires_grad
    if _is_channel_first(x, gamma, axis) and not statistics_need_grad and _kernel_takes_dtypes(
            x, gamma, beta, mean, var):
        return torch_f.batch_norm(x, mean, var, gamma, beta, False, 0.0, eps)
    cast_back, x, gamma, beta, mean, var = in_common_dtype(x, gamma, beta, mean, var)
    shape = _param_shape(x, axis)
    scale = gamma * torch.rsqrt(var + eps)
    return cast_back((x - mean.reshape(shape)) * scale.reshape(shape) + beta.reshape(shape))
