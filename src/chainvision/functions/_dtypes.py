"""Inputs of mixed float dtypes, handled as Chainer handles them."""

import functools

import torch


def _identity(y):
    return y


def promoted(*tensors):
    """Cast the tensors (``None`` stays ``None``) to their promoted dtype, as
    NumPy computes mixed dtypes (``matmul`` of float16 and float32 is
    float32).  When the dtypes agree, or under autocast (which picks the
    kernels' dtype itself), nothing is cast.

    Returns:
        tuple: the tensors.
    """
    dtypes = {t.dtype for t in tensors if t is not None}
    if len(dtypes) <= 1 or torch.is_autocast_enabled(tensors[0].device.type):
        return tensors
    common = functools.reduce(torch.promote_types, dtypes)
    return tuple(None if t is None else t.to(common) for t in tensors)


def in_common_dtype(x, *others):
    """:func:`promoted` ``x`` and ``others``, after the function that casts a
    result back to ``x``'s dtype.

    Chainer's connections (``linear``, ``convolution_2d``...) accept, say,
    float16 inputs with float32 weights: NumPy computes in the promoted dtype
    and the result is cast back to the input's dtype.  PyTorch's kernels need
    one dtype, so compute in the promoted one and call ``cast_back(y)``;
    gradients flow back in each input's own dtype.

    Returns:
        tuple: ``(cast_back, x, *others)``.
    """
    tensors = promoted(x, *others)
    if tensors[0] is x:
        return (_identity,) + tensors
    return ((lambda y: y.to(x.dtype)),) + tensors
