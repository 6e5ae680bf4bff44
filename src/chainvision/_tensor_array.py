"""``tensor.array``: Chainer's most used Variable attribute, on torch tensors.

Chainer v7 code reads ``y.array`` (and writes ``param.array[...] = value``)
everywhere.  Every variable here is a ``torch.Tensor``, so importing
chainvision adds one property to ``torch.Tensor`` — a name PyTorch does not
use — that behaves as Chainer's:

- reading gives the data without the graph (``tensor.detach()``, sharing
  memory, so in-place writes to it change the tensor);
- assigning replaces the data (``tensor.data = value``).

Writing a NumPy array into a tensor's elements (Chainer's
``link.W.array[...] = numpy_values``) works too: PyTorch's ``__setitem__``
refuses NumPy arrays, so importing chainvision wraps it to convert them first
(cast to the tensor's dtype, as NumPy's assignment casts).

It adds ``tensor.astype(dtype)``, NumPy's cast, which Chainer code calls on
arrays that are tensors here (``link.avg_mean.astype(x.dtype)``,
``y.array.astype(numpy.float64)``): ``dtype`` is a NumPy dtype, its type or
name, or a ``torch.dtype``; the result is a copy unless ``copy=False`` and the
dtype already matches, as in NumPy.

It also adds ``tensor.as_layout(layout)``, Chainer's ``Variable.as_layout``
(see :mod:`chainvision.memory_layouts`): Chainer's channel-last ResNet-50
example calls it.
"""

import numpy
import torch

from chainvision import memory_layouts
from chainvision.backend import torch_dtype


def _get_array(tensor):
    return tensor.detach()


def _set_array(tensor, value):
    tensor.data = torch.as_tensor(value, device=tensor.device)


def _astype(tensor, dtype, copy=True):
    """``tensor`` cast to ``dtype`` (NumPy's ``ndarray.astype``; see the module docstring)."""
    return tensor.to(torch_dtype(dtype), copy=copy)


_torch_setitem = torch.Tensor.__setitem__


def _setitem(tensor, index, value):
    if isinstance(value, numpy.ndarray):
        value = torch.as_tensor(value, device=tensor.device)
    _torch_setitem(tensor, index, value)


def install():
    """Add ``array``, ``astype`` and ``as_layout`` to ``torch.Tensor`` and let its
    ``__setitem__`` take NumPy arrays (idempotent)."""
    if torch.Tensor.__setitem__ is _torch_setitem:
        torch.Tensor.__setitem__ = _setitem
    if not hasattr(torch.Tensor, 'array'):
        torch.Tensor.array = property(_get_array, _set_array,
                                      doc="The data without the graph (Chainer's Variable.array).")
    if not hasattr(torch.Tensor, 'astype'):
        torch.Tensor.astype = _astype
    if not hasattr(torch.Tensor, 'as_layout'):
        torch.Tensor.as_layout = memory_layouts.as_layout
