"""Extracting the patches of a convolution."""

import torch.nn.functional as torch_f

from chainvision.backend import as_tensor
from chainvision.functions.connection.convolution_2d import pad_to_cover_all
from chainvision.utils.conv import get_conv_outsize, pair


def im2col(x, ksize, stride=1, pad=0, cover_all=False, dilate=1):
    """The ``kh x kw`` patches of ``x`` ``(N, C, H, W)`` that a convolution
    would see, as channels: ``(N, C * kh * kw, out_h, out_w)``, channel
    ``c * kh * kw + i * kw + j`` holding pixel ``(i, j)`` of the patch of
    input channel ``c`` (``torch.nn.functional.unfold``'s order, kept as a
    map).  Padding is zeros; ``cover_all`` and the output size follow
    :func:`~chainvision.functions.convolution_2d`.
    """
    x = as_tensor(x)
    ksize, stride, pad, dilate = pair(ksize), pair(stride), pair(pad), pair(dilate)
    if cover_all:
        x, pad = pad_to_cover_all(x, ksize, stride, pad, dilate), (0, 0)
    out_h, out_w = (get_conv_outsize(x.shape[2 + a], ksize[a], stride[a], pad[a], False, dilate[a])
                    for a in (0, 1))
    cols = torch_f.unfold(x, ksize, dilate, pad, stride)
    return cols.reshape(x.shape[0], -1, out_h, out_w)
