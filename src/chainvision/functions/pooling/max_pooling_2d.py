"""Two-dimensional max pooling with Chainer's ``cover_all`` output sizes."""

import torch
import torch.nn.functional as torch_f

from chainvision.backend import as_tensor
from chainvision.functions.pooling import _native_max_pooling
from chainvision.utils.conv import get_conv_outsize, pair


def _torch_ceil_outsize(size, k, s, p):
    out = -(-(size + 2 * p - k) // s) + 1
    # PyTorch drops a last window that would start in the right padding.
    if (out - 1) * s >= size + p:
        out -= 1
    return out


def _window_indices(indices, width, offset, stride, ksize):
    """Turn PyTorch's flat plane indices into Chainer's index within each
    window (``row * kw + col``); ``offset`` maps plane rows/columns to the
    padded frame in which windows start at ``i * stride``."""
    rows = indices // width + offset[0]
    cols = indices % width + offset[1]
    out_h, out_w = indices.shape[-2:]
    origin_rows = torch.arange(out_h, device=indices.device).reshape(-1, 1) * stride[0]
    origin_cols = torch.arange(out_w, device=indices.device) * stride[1]
    return (rows - origin_rows) * ksize[1] + (cols - origin_cols)


def max_pooling_2d(x, ksize, stride=None, pad=0, cover_all=True, return_indices=False):
    """Spatial max pooling.

    Args:
        x: input of shape ``(N, C, H, W)``.
        ksize: window size, an int or a pair.
        stride: an int or a pair; ``None`` (default) means ``ksize``.
        pad: padding on each side (the padding never wins the max).
        cover_all (bool): Chainer's default ``True`` makes the output
            ``(H + 2p - k + s - 1) // s + 1`` long, so every pixel is
            covered: a 2x2/stride-2 pooling of a 5x5 map gives 3x3 and of a
            1x1 map gives 1x1.  ``False`` floors as PyTorch does by default.
            As in Chainer, a window that lies wholly in the padding (e.g.
            ``k=2, s=2, p=1`` on a 3x3 map, which gives 3x3) yields
            ``-inf``.
        return_indices (bool): also return, as Chainer, the position of
            each maximum within its window, ``row * kw + col`` (int64, the
            output's shape).

    Returns:
        torch.Tensor of shape ``(N, C, out_h, out_w)`` (and the indices).

    A channels-last float32 or bfloat16 ``x`` on the CPU is pooled by
    chainvision's native kernel (:mod:`chainvision.native`) where the
    machine runs it, without ``return_indices``: the same values and
    gradients, several times faster with few channels.
    """
    x = as_tensor(x)
    ksize, pad = pair(ksize), pair(pad)
    stride = ksize if stride is None else pair(stride)
    sizes = x.shape[-2:]
    outs = [get_conv_outsize(sizes[i], ksize[i], stride[i], pad[i], cover_all) for i in (0, 1)]
    if not return_indices and _native_max_pooling.applies(x, ksize):
        return _native_max_pooling.max_pool(x, ksize, stride, pad, outs)
    return _torch_max_pooling(x, ksize, stride, pad, outs, cover_all, return_indices)


def _torch_max_pooling(x, ksize, stride, pad, outs, cover_all, return_indices=False):
    """:func:`max_pooling_2d` in PyTorch's operations."""
    sizes = x.shape[-2:]
    fits_torch = all(2 * pad[i] <= ksize[i] for i in (0, 1)) and all(
        outs[i] == (_torch_ceil_outsize(sizes[i], ksize[i], stride[i], pad[i]) if cover_all
                    else (sizes[i] + 2 * pad[i] - ksize[i]) // stride[i] + 1) for i in (0, 1))
    if fits_torch:
        result = torch_f.max_pool2d(x, ksize, stride, pad, ceil_mode=cover_all,
                                    return_indices=return_indices)
        width, offset = sizes[1], pad
    else:
        # Chainer's arithmetic that PyTorch cannot express: pad with -inf explicitly.
        extra = [max(0, (outs[i] - 1) * stride[i] + ksize[i] - sizes[i] - 2 * pad[i])
                 for i in (0, 1)]
        padded = torch_f.pad(x, (pad[1], pad[1] + extra[1], pad[0], pad[0] + extra[0]),
                             value=-torch.inf)
        result = torch_f.max_pool2d(padded, ksize, stride, return_indices=return_indices)
        width, offset = padded.shape[-1], (0, 0)
    if not return_indices:
        return result
    y, indices = result
    return y, _window_indices(indices, width, offset, stride, ksize)
