"""Changing the dtype of an array."""

import numpy
import torch

from chainvision.backend import as_tensor


def _torch_dtype(typ):
    if isinstance(typ, torch.dtype):
        return typ
    return torch.from_numpy(numpy.empty(0, dtype=typ)).dtype


def cast(x, typ):
    """Return ``x`` converted to ``typ`` (a NumPy dtype, its name, or a
    ``torch.dtype``); ``x`` itself when it already has that dtype.  Gradients
    flow back as the input's dtype."""
    x = as_tensor(x)
    return x.to(_torch_dtype(typ))
