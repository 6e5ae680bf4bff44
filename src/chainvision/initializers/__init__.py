"""Parameter initializers with Chainer's names, fan conventions and scales.

An initializer is a callable that fills a tensor in place:
``initializer(tensor)``.  Links accept, wherever Chainer does
(``initialW``, ``initial_bias``, ...), an initializer, a scalar (a
:class:`Constant`), an array of the parameter's shape, or ``None`` (the link's
default).  Random numbers come from PyTorch's global generator, so
``torch.manual_seed`` makes initialization reproducible.
"""

import numbers

import numpy
import torch

from chainvision.backend import torch_dtype
from chainvision.initializers._base import Initializer, get_fans
from chainvision.initializers.constant import Constant, Identity, NaN, One, Zero
from chainvision.initializers.normal import (
    GlorotNormal, HeNormal, LeCunNormal, Normal)
from chainvision.initializers.orthogonal import Orthogonal
from chainvision.initializers.sampling import DownsamplingConvFilter, UpsamplingDeconvFilter
from chainvision.initializers.uniform import (
    GlorotUniform, HeUniform, LeCunUniform, Uniform)

__all__ = [
    'Initializer', 'get_fans', 'Constant', 'Identity', 'NaN', 'One', 'Zero',
    'Normal', 'LeCunNormal', 'GlorotNormal', 'HeNormal', 'Uniform',
    'LeCunUniform', 'GlorotUniform', 'HeUniform', 'Orthogonal',
    'UpsamplingDeconvFilter', 'DownsamplingConvFilter', 'generate_array',
]


def _get_initializer(initializer):
    """Turn what a link was given into an initializer.

    ``None`` gives Chainer's default for weights, :class:`LeCunNormal`; a
    number gives :class:`Constant`; an array gives :class:`Constant` of
    that array (its shape must match the parameter's); a callable is used
    as is.
    """
    if initializer is None:
        return LeCunNormal()
    if isinstance(initializer, (numbers.Number, numpy.number)):
        return Constant(initializer)
    if isinstance(initializer, (numpy.ndarray, torch.Tensor)):
        return Constant(initializer)
    if not callable(initializer):
        raise TypeError(
            'An initializer must be None, a number, an array or a callable '
            'that fills a tensor; got {!r}.'.format(type(initializer)))
    return initializer


def generate_array(initializer, shape, dtype=None, device=None):
    """Return a new tensor of ``shape`` filled by ``initializer``.

    ``dtype`` defaults to the initializer's own ``dtype`` if it has one, else
    ``chainvision.config.dtype`` (float32).
    """
    from chainvision.configuration import config
    dtype = dtype or getattr(initializer, 'dtype', None) or config.dtype
    tensor = torch.empty(tuple(shape), dtype=torch_dtype(dtype), device=device)
    with torch.no_grad():
        initializer(tensor)
    return tensor


