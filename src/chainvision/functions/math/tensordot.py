"""Tensor dot product."""

import torch

from chainvision.backend import as_tensors
from chainvision.functions._dtypes import promoted


def tensordot(a, b, axes=2):
    """``numpy.tensordot``: sum products over the last ``axes`` axes of ``a``
    and the first ``axes`` of ``b`` (an int), or over the axes listed in
    ``axes = (axes_of_a, axes_of_b)``.  Mixed dtypes give the promoted one,
    as in Chainer."""
    a, b = promoted(*as_tensors(a, b))
    if not isinstance(axes, int):
        axes = ([axes[0]] if isinstance(axes[0], int) else list(axes[0]),
                [axes[1]] if isinstance(axes[1], int) else list(axes[1]))
    return torch.tensordot(a, b, dims=axes)
