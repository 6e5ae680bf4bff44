"""Padding an array, as ``numpy.pad``."""

import numpy
import torch.nn.functional as torch_f

from chainvision.backend import as_tensor

# numpy.pad's mode names -> torch's; torch pads these only on axes 2 and up.
_BORDER_MODES = {'edge': 'replicate', 'reflect': 'reflect', 'wrap': 'circular'}


def _torch_padding(pad_width, ndim):
    widths = numpy.broadcast_to(numpy.asarray(pad_width, dtype=numpy.int64), (ndim, 2))
    if (widths < 0).any():
        raise ValueError('pad: pad_width must not be negative, got {}.'.format(pad_width))
    # torch lists (before, after) pairs from the last axis backwards.
    return widths, [int(w) for axis in reversed(widths) for w in axis]


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
    if not 3 <= x.ndim <= 5 or widths[:2].any():
        raise ValueError("pad: mode {!r} pads only axes 2 and later of a 3-D to 5-D array; "
                         "use mode='constant' otherwise.".format(mode))
    return torch_f.pad(x, padding[:2 * (x.ndim - 2)], mode=_BORDER_MODES[mode])
