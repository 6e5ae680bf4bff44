"""Splitting an array along an axis."""

import numpy
import torch

from chainvision.backend import as_tensor


def split_axis(x, indices_or_sections, axis, force_tuple=True):
    """Split ``x`` along ``axis``, as ``numpy.split``.

    Args:
        x: array to split.
        indices_or_sections (int or sequence of ints): an int ``n`` makes
            ``n`` equal parts (the axis length must be divisible by ``n``);
            a sorted sequence gives the split points, as in NumPy (so
            ``[2, 5]`` gives ``x[:2], x[2:5], x[5:]``); unlike NumPy, every
            index must lie in ``[0, x.shape[axis]]``.
        axis (int): the axis to split.
        force_tuple (bool): if False and there is only one part, return it
            alone instead of a one-element tuple.

    Returns:
        tuple of torch.Tensor (views of ``x``).
    """
    x = as_tensor(x)
    length = x.shape[axis]
    if numpy.ndim(indices_or_sections) == 0:
        sections = int(indices_or_sections)
        if sections <= 0 or length % sections:
            raise ValueError(
                'split_axis: axis {} of length {} cannot be split into {} equal '
                'parts.'.format(axis, length, sections))
        parts = torch.split(x, length // sections, dim=axis)
    else:
        points = [int(i) for i in indices_or_sections]
        if points != sorted(points) or (points and not 0 <= points[0] <= points[-1] <= length):
            raise ValueError('split_axis: indices_or_sections must be sorted and within the axis '
                             'length {}, got {}.'.format(length, points))
        bounds = [0] + points + [length]
        parts = tuple(x.narrow(axis, start, end - start)
                      for start, end in zip(bounds[:-1], bounds[1:]))
    if not force_tuple and len(parts) == 1:
        return parts[0]
    return tuple(parts)
