"""Permuting an array along an axis."""

import torch

from chainvision.backend import as_tensors


def permutate(x, indices, axis=0, inv=False):
    """Reorder ``x`` along ``axis``: ``y[i] = x[indices[i]]`` (``x.take(indices,
    axis)``); with ``inv=True`` the inverse permutation, so that
    ``permutate(permutate(x, p), p, inv=True)`` is ``x``.

    Args:
        x: the array.
        indices: a permutation of ``range(x.shape[axis])`` (int array).
        axis (int): the axis to permute.
        inv (bool): apply the inverse permutation.

    Raises:
        ValueError: when ``indices`` is not a permutation (Chainer checks
            only in debug mode).
    """
    x, indices = as_tensors(x, indices)
    indices = indices.long()
    if not torch.equal(indices.sort().values, torch.arange(len(indices), device=indices.device)):
        raise ValueError('permutate: indices must be a permutation of range({}), got {}.'.format(
            len(indices), indices.tolist()))
    if inv:
        indices = torch.argsort(indices)
    return x.index_select(axis, indices)
