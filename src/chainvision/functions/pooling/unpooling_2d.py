"""Inverse of pooling: every pixel spread over its window."""

from chainvision.backend import as_tensor
from chainvision.functions._shape_check import check_ndim
from chainvision.functions.pooling.unpooling_nd import unpool


def unpooling_2d(x, ksize, stride=None, pad=0, outsize=None, cover_all=True):
    """Copy each input pixel into its ``ksize`` window of the output; where
    windows overlap (stride < ksize) the copies add up.

    Args:
        x: input of shape ``(N, C, H, W)``.
        ksize, stride, pad: as the pooling this inverts; ``stride=None``
            means ``ksize``.
        outsize (pair or None): output ``(out_h, out_w)``; default
            ``get_deconv_outsize(H, k, s, p, cover_all)``.  A pooling of
            ``outsize`` with the same arguments must give back ``(H, W)``.
        cover_all (bool): Chainer's default ``True`` gives the sizes that
            invert a ``cover_all`` max pooling (``s * (H - 1) + k - s + 1 -
            2p``).

    Returns:
        torch.Tensor of shape ``(N, C, out_h, out_w)``.

    Chainer takes a different code path when ``out = k * (H - p)`` with an
    even ``p`` and ``k == s``; that path crops ``p // 2`` input pixels instead
    of ``p // k``, so for padded cases with ``k != 2`` chainvision follows the
    general rule, not that path.
    """
    x = as_tensor(x)
    check_ndim('unpooling_2d', x, 4, '(N, C, H, W)')
    return unpool('unpooling_2d', x, ksize, stride, pad, outsize, cover_all)
