"""Transposed convolution with Chainer's ``col2im`` output geometry, shared
by the deconvolutions and unpoolings (1 to 3 spatial axes)."""

import torch.nn.functional as torch_f

_TRANSPOSED = {1: torch_f.conv_transpose1d, 2: torch_f.conv_transpose2d,
               3: torch_f.conv_transpose3d}


def transposed_convolution(x, W, stride, pad, out_size, dilate=None, groups=1):
    """Scatter every input element times its kernel into an unpadded canvas
    of length ``s * (in - 1) + dk`` per axis, then keep ``[p, p + out)`` of
    each spatial axis, filling with zeros past the canvas (Chainer's
    ``col2im``).  ``stride``, ``pad``, ``out_size``, ``dilate``: one int per
    spatial axis (``dilate`` default 1).

    Going through the full canvas lets ``out`` be any length Chainer allows,
    where PyTorch's ``output_padding`` must stay below the stride.
    """
    ndim = x.ndim - 2
    dilate = (1,) * ndim if dilate is None else dilate
    y = _TRANSPOSED[ndim](x, W, None, stride, 0, 0, groups, dilate)
    widths = []
    for axis in reversed(range(ndim)):  # torch's pad lists the last axis first
        widths += [0, max(0, pad[axis] + out_size[axis] - y.shape[2 + axis])]
    if any(widths):
        y = torch_f.pad(y, widths)
    return y[(slice(None), slice(None)) + tuple(
        slice(pad[axis], pad[axis] + out_size[axis]) for axis in range(ndim))]
