"""Two-dimensional average pooling with Chainer's padding semantics."""

import torch.nn.functional as torch_f

from chainvision.backend import as_tensor
from chainvision.utils.conv import pair


def average_pooling_2d(x, ksize, stride=None, pad=0):
    """Spatial average pooling.

    Args:
        x: input of shape ``(N, C, H, W)``.
        ksize: window size, an int or a pair.
        stride: an int or a pair; ``None`` (default) means ``ksize``.
        pad: zero padding on each side.  As in Chainer, padded zeros count:
            every window is divided by ``kh * kw``.

    Returns:
        torch.Tensor of shape ``(N, C, (H + 2p - k) // s + 1, ...)``.
    """
    x = as_tensor(x)
    ksize, pad = pair(ksize), pair(pad)
    stride = ksize if stride is None else pair(stride)
    if all(2 * pad[i] <= ksize[i] for i in (0, 1)):
        return torch_f.avg_pool2d(x, ksize, stride, pad, count_include_pad=True)
    padded = torch_f.pad(x, (pad[1], pad[1], pad[0], pad[0]))
    return torch_f.avg_pool2d(padded, ksize, stride)
