"""Inputs of mixed float dtypes, handled as Chainer handles them."""

import functools

import torch


def _identity(y):
    return y


def in_common_dtype(x, *others):
    """Cast ``x`` and ``others`` (``None`` stays ``None``) to their promoted
    dtype; return them after the function that casts a result back to
    ``x``'s dtype.

    Chainer's connections (``linear``, ``convolution_2d``...) accept, say,
    float16 inputs with float32 weights: NumPy computes in the promoted dtype
    and the result is cast back to the input's dtype.  PyTorch's kernels need
    one dtype, so compute in the promoted one and call ``cast_back(y)``;
    gradients flow back in each input's own dtype.  When the dtypes agree, or
    under autocast (which picks the kernels' dtype itself), nothing is cast.

    Returns:
        tuple: ``(cast_back, x, *others)``.
    """
    tensors = (x,) + others
    dtypes = {t.dtype for t in tensors if t is not None}
    if len(dtypes) == 1 or torch.is_autocast_enabled(x.device.type):
        return (_identity,) + tensors
    common = functools.reduce(torch.promote_types, dtypes)
    return ((lambda y: y.to(x.dtype)),) + tuple(None if t is None else t.to(common)
                                               for t in tensors)
