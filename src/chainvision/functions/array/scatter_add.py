"""Adding into indexed elements, as ``numpy.add.at``."""

import numpy
import torch

from chainvision.backend import as_tensors, to_cpu


def _numpy_index(slices):
    if isinstance(slices, tuple):
        return tuple(to_cpu(s) for s in slices)
    return to_cpu(slices)


def scatter_add(a, slices, b):
    """A copy of ``a`` with ``b`` added at ``a[slices]``; an element indexed
    several times receives every addition (``numpy.add.at``).

    Args:
        a: the array.
        slices: any NumPy index (ints, slices, int arrays or tensors, ``None``...).
        b: the values, broadcastable to the shape of ``a[slices]``.

    Returns:
        torch.Tensor of ``a``'s shape; differentiable in ``a`` and ``b``.
    """
    a, b = as_tensors(a, b)
    # Index a table of flat positions, so that repeated positions stay repeated.
    positions = numpy.arange(a.numel()).reshape(tuple(a.shape))[_numpy_index(slices)]
    positions = torch.as_tensor(numpy.ascontiguousarray(positions), device=a.device)
    values = torch.broadcast_to(b, positions.shape).to(a.dtype)
    return a.reshape(-1).index_add(0, positions.reshape(-1), values.reshape(-1)).reshape(a.shape)
