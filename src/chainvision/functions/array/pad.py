"""Padding an array, as ``numpy.pad``."""

import numpy
import torch.nn.functional as torch_f

from chainvision.backend import as_tensor

# numpy.pad's mode names -> torch's; torch pads these only on axes 2 and up.
_BORDER_MODES = {'edge': 'replicate', 'reflect': 'reflect', 'wrap': 'circular'}


def _pairs(pad_width, ndim):
    # numpy.pad's broadcasting of n / (before, after) / per-axis pairs, in plain
    # Python so that torch.compile traces it without a graph break.
    if isinstance(pad_width, (int, numpy.integer)):
        return [(int(pad_width), int(pad_width))] * ndim
    pad_width = list(pad_width)
    if pad_width and isinstance(pad_width[0], (int, numpy.integer)):
        if len(pad_width) == 1:
            return [(int(pad_width[0]), int(pad_width[0]))] * ndim
        return [(int(pad_width[0]), int(pad_width[1]))] * ndim
    if len(pad_width) == 1:
        pad_width = pad_width * ndim
    if len(pad_width) != ndim:
        raise ValueError('pad: pad_width has {} pairs but the array has {} axes.'.format(
            len(pad_width), ndim))
    return [(int(before), int(after)) for before, after in pad_width]


def _torch_padding(pad_width, ndim):
    widths = _pairs(pad_width, ndim)
    if any(w < 0 for pair in widths for w in pair):
        raise ValueError('pad: pad_width must not be negative, got {}.'.format(pad_width))
    # torch lists (before, after) pairs from the last axis backwards.
    return widths, [w for pair in reversed(widths) for w in pair]


def pad(x, pad_width, mode, **keywords):
    """Pad ``x`` as ``numpy.pad(x, pad_width, mode, **keywords)``.

    Args:
        x: array of any shape.
        pad_width: ``n``, ``(before, after)`` or one ``(before, after)`` per
            axis, as in NumPy.
        mode (str): ``'constant'`` (any axes; keyword ``constant_values``, a
            scalar, default 0), or ``'edge'``, ``'reflect'``, ``'wrap'``
            (only on axes 2 and later of a 3-D to 5-D array).
        **keywords: ``constant_values`` for ``'constant'``.

    Returns:
        torch.Tensor, each axis longer by ``before + after``.

    Unlike Chainer, whose backward only slices the gradient (right only for
    ``'constant'``), the border modes get their exact gradient.
    """
    x = as_tensor(x)
    widths, padding = _torch_padding(pad_width, x.ndim)
    if mode == 'constant':
        return torch_f.pad(x, padding, value=float(keywords.get('constant_values', 0)))
    if mode not in _BORDER_MODES:
        raise ValueError("pad: mode must be 'constant', 'edge', 'reflect' or 'wrap', got "
                         '{!r}.'.format(mode))
    if not 3 <= x.ndim <= 5 or any(any(pair) for pair in widths[:2]):
        raise ValueError("pad: mode {!r} pads only axes 2 and later of a 3-D to 5-D array; "
                         "use mode='constant' otherwise.".format(mode))
    return torch_f.pad(x, padding[:2 * (x.ndim - 2)], mode=_BORDER_MODES[mode])
