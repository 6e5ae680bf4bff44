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

    Raises:
        ValueError: for a negative count.
    """
    x = as_tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    # Chainer takes bools (True is 1) and one-element sequences too.
    counts = [int(repeats)] if isinstance(repeats, int) else [int(r) for r in repeats]
    if min(counts, default=0) < 0:
        raise ValueError('repeat: repeats must not be negative, got {}.'.format(repeats))
    if len(counts) == 1:
        return torch.repeat_interleave(x, counts[0], dim=axis)
    return torch.repeat_interleave(x, torch.tensor(counts, device=x.device), dim=axis)
