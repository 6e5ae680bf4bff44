"""Inverse of max pooling: each value back to where its maximum came from."""

import torch

from chainvision.backend import as_tensors
from chainvision.functions._shape_check import check_ndim
from chainvision.utils.conv import get_deconv_outsize, pair


def upsampling_2d(x, indexes, ksize, stride=None, pad=0, outsize=None, cover_all=True):
    """Place every value of ``x`` at the position, inside its pooling window,
    that ``indexes`` names; the rest of the output is zero.

    Args:
        x: array of shape ``(N, C, h, w)``, e.g. a max pooling's output.
        indexes: int array of ``x``'s shape: the within-window positions
            ``row * kw + col`` that ``max_pooling_2d(...,
            return_indices=True)`` returns.
        ksize, stride, pad, cover_all: the pooling's arguments
            (``stride=None`` means ``ksize``).
        outsize (pair or None): output ``(H, W)``; default
            ``get_deconv_outsize(h, k, s, p, cover_all)``.

    Returns:
        torch.Tensor of shape ``(N, C, H, W)``; values whose windows overlap
        on one pixel add up, and those that fall in the padding are dropped.
    """
    x, indexes = as_tensors(x, indexes)
    check_ndim('upsampling_2d', x, 4, '(N, C, H, W)')
    if indexes.shape != x.shape:
        raise ValueError('upsampling_2d: indexes of shape {} must have the shape of x, {}.'.format(
            tuple(indexes.shape), tuple(x.shape)))
    ksize, pad = pair(ksize), pair(pad)
    stride = ksize if stride is None else pair(stride)
    h, w = x.shape[2:]
    out = pair(outsize) if outsize is not None else tuple(
        get_deconv_outsize(x.shape[2 + i], ksize[i], stride[i], pad[i], cover_all)
        for i in (0, 1))
    # A canvas in the padded frame, large enough for every window and the output.
    canvas_h = max((h - 1) * stride[0] + ksize[0], pad[0] + out[0])
    canvas_w = max((w - 1) * stride[1] + ksize[1], pad[1] + out[1])
    indexes = indexes.long()
    rows = torch.arange(h, device=x.device).reshape(-1, 1) * stride[0] + indexes // ksize[1]
    cols = torch.arange(w, device=x.device) * stride[1] + indexes % ksize[1]
    canvas = x.new_zeros(x.shape[:2] + (canvas_h * canvas_w,))
    canvas = canvas.scatter_add(2, (rows * canvas_w + cols).flatten(2), x.flatten(2))
    canvas = canvas.reshape(x.shape[:2] + (canvas_h, canvas_w))
    return canvas[:, :, pad[0]:pad[0] + out[0], pad[1]:pad[1] + out[1]]
