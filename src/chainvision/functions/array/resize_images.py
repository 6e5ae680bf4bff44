"""Resizing images by interpolation."""

import torch.nn.functional as torch_f

from chainvision.backend import as_tensor
from chainvision.functions._shape_check import check_ndim


def resize_images(x, output_shape, *, mode='bilinear', align_corners=True):
    """Resize images ``(N, C, H, W)`` to ``(N, C, out_H, out_W)``.

    Args:
        x: array of shape ``(N, C, H, W)``.
        output_shape (pair of ints): ``(out_H, out_W)``.
        mode (str): ``'bilinear'`` (default) or ``'nearest'`` (pixel
            ``floor(i * H / out_H)``).
        align_corners (bool): Chainer v7's default ``True`` maps the corner
            pixels onto each other (sample points ``linspace(0, H - 1,
            out_H)``); PyTorch's default is ``False``.  Ignored by
            ``'nearest'``.

    Returns:
        torch.Tensor of shape ``(N, C, out_H, out_W)``.
    """
    x = as_tensor(x)
    check_ndim('resize_images', x, 4, '(N, C, H, W)')
    size = (int(output_shape[0]), int(output_shape[1]))
    if mode == 'bilinear':
        return torch_f.interpolate(x, size, mode='bilinear', align_corners=align_corners)
    if mode == 'nearest':
        return torch_f.interpolate(x, size, mode='nearest')
    raise ValueError("resize_images: mode must be 'bilinear' or 'nearest', got {!r}.".format(mode))
