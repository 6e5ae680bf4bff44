"""Repeating elements, as ``numpy.repeat``."""

import torch

from chainvision.backend import as_tensor


def repeat(x, repeats, axis=None):
    """Repeat each element of ``x`` ``repeats`` times along ``axis``.

    Args:
        x: the array.
        repeats (int or sequence of int): one count for all elements, or one
            per element along ``axis``.
        axis (int or None): ``None`` (default) flattens ``x`` first.
    """
    x = as_tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    if not isinstance(repeats, int):
        repeats = [int(r) for r in repeats]
        repeats = repeats[0] if len(repeats) == 1 else torch.tensor(repeats, device=x.device)
    return torch.repeat_interleave(x, repeats, dim=axis)
