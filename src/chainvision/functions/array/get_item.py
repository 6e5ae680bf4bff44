"""Indexing and slicing."""

import numpy
import torch

from chainvision.backend import as_tensor


def _as_index(item, device):
    if isinstance(item, (numpy.ndarray, list)):
        array = numpy.asarray(item)
        if array.size == 0:
            # An empty list (a float array to NumPy) or empty bool array selects nothing, as
            # Chainer reads it: an empty integer index.
            array = array.astype(numpy.int64)
        return torch.as_tensor(array, device=device)
    return item


def get_item(x, slices):
    """``x[slices]`` with NumPy's semantics: ints, slices, ``None``,
    ``Ellipsis``, and int or bool arrays (NumPy arrays, lists or tensors)."""
    x = as_tensor(x)
    if isinstance(slices, tuple):
        slices = tuple(_as_index(s, x.device) for s in slices)
    else:
        slices = _as_index(slices, x.device)
    return x[slices]
