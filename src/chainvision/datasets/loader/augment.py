"""Batched image augmentations: one call transforms a whole ``(N, C, H, W)``
batch on its own device, each image with its own random parameters.

Every function draws its randomness from the ``torch.Generator`` it is
given (on the images' device), so one seed fixes every batch.  Geometric
operations keep uint8 images uint8 (except :func:`random_resized_crop`,
which interpolates); :func:`normalize` turns them into floats.
"""

import math

import torch
import torch.nn.functional as F


def _uniform(n, low, high, generator, device):
    return torch.rand(n, generator=generator, device=device, dtype=torch.float64) * (high - low) + low


def flip_lr(images, generator, p=0.5):
    """Mirror each image left-right with probability ``p``.

    Args:
        images (torch.Tensor): ``(N, C, H, W)``, any dtype.
        generator (torch.Generator): on ``images.device``.
    """
    flip = torch.rand(len(images), generator=generator, device=images.device) < p
    return torch.where(flip[:, None, None, None], images.flip(-1), images)


def _shifted_indices(offsets, size, padding, mode):
    # Index of the source pixel for each output position, for a crop at
    # ``offset`` of the image padded by ``padding`` on each side.
    index = offsets[:, None] + torch.arange(size, device=offsets.device) - padding
    if mode == 'reflect':
        index = index.abs()
        index = torch.where(index > size - 1, 2 * (size - 1) - index, index)
        return index, None
    inside = (index >= 0) & (index < size)
    return index.clamp(0, size - 1), inside


def random_crop_with_padding(images, padding, generator, mode='zeros'):
    """Pad each image by ``padding`` pixels on every side and cut a random
    crop of the original size (the CIFAR augmentation of He et al. 2016).

    Implemented as two gathers of source rows and columns, so the padded
    batch is never built: cost is one read and one write of the batch.

    Args:
        images (torch.Tensor): ``(N, C, H, W)``, any dtype.
        padding (int): pixels added on each side (crops move by up to
            ``2 * padding``).
        generator (torch.Generator): on ``images.device``.
        mode (str): ``'zeros'`` (pad with 0) or ``'reflect'`` (mirror without
            repeating the edge, as ``torch.nn.functional.pad``); ``padding``
            must be smaller than H and W for ``'reflect'``.

    Returns:
        torch.Tensor: same shape and dtype.
    """
    if mode not in ('zeros', 'reflect'):
        raise ValueError("mode must be 'zeros' or 'reflect', got {!r}".format(mode))
    n, c, h, w = images.shape
    if mode == 'reflect' and padding >= min(h, w):
        raise ValueError('reflect padding {} needs images larger than that, got {}x{}'.format(
            padding, h, w))
    device = images.device
    offsets = torch.randint(0, 2 * padding + 1, (2, n), generator=generator, device=device)
    rows, rows_inside = _shifted_indices(offsets[0], h, padding, mode)
    cols, cols_inside = _shifted_indices(offsets[1], w, padding, mode)
    out = images.gather(2, rows[:, None, :, None].expand(n, c, h, w))
    out = out.gather(3, cols[:, None, None, :].expand(n, c, h, w))
    if mode == 'zeros':
        inside = rows_inside[:, :, None] & cols_inside[:, None, :]
        out = out * inside[:, None].to(out.dtype)
    return out


def _crop_resize(images, boxes, size):
    """Resize the crop ``boxes`` (float ``(N, 4)``: top, left, height,
    width in pixels) of each image to ``size`` with bilinear interpolation
    (half-pixel centres, no antialiasing); returns float32."""
    n, _, h, w = images.shape
    top, left, height, width = boxes.to(torch.float32).unbind(1)
    theta = torch.zeros(n, 2, 3, device=images.device)
    theta[:, 0, 0] = width / w
    theta[:, 0, 2] = (2 * left + width) / w - 1
    theta[:, 1, 1] = height / h
    theta[:, 1, 2] = (2 * top + height) / h - 1
    grid = F.affine_grid(theta, (n, images.shape[1]) + tuple(size), align_corners=False)
    return F.grid_sample(images.float(), grid, mode='bilinear', padding_mode='border',
                         align_corners=False)


def random_resized_crop_boxes(n, height, width, generator, scale=(0.08, 1.0),
                              ratio=(3. / 4., 4. / 3.), device=None, attempts=10):
    """Sample crop boxes exactly as torchvision's ``RandomResizedCrop``: up
    to ``attempts`` draws of an area fraction in ``scale`` and a log-uniform
    aspect ratio in ``ratio``; the first that fits is kept, and an image
    with none falls back to the central crop with the ratio clamped.

    Returns:
        torch.Tensor: int64 ``(n, 4)`` of top, left, crop height, crop width.
    """
    area = height * width
    target = area * _uniform((n, attempts), scale[0], scale[1], generator, device)
    aspect = torch.exp(_uniform((n, attempts), math.log(ratio[0]), math.log(ratio[1]),
                                generator, device))
    crop_w = torch.sqrt(target * aspect).round().long()
    crop_h = torch.sqrt(target / aspect).round().long()
    fits = (crop_w > 0) & (crop_w <= width) & (crop_h > 0) & (crop_h <= height)
    first = fits.long().argmax(1)
    any_fit = fits.any(1)
    pick = torch.arange(n, device=device)
    crop_h, crop_w = crop_h[pick, first], crop_w[pick, first]
    top = (torch.rand(n, generator=generator, device=device, dtype=torch.float64) *
           (height - crop_h + 1)).floor().long()
    left = (torch.rand(n, generator=generator, device=device, dtype=torch.float64) *
            (width - crop_w + 1)).floor().long()
    fallback = central_crop_box(height, width, ratio)
    boxes = torch.stack([top, left, crop_h, crop_w], 1)
    return torch.where(any_fit[:, None], boxes, torch.tensor(fallback, device=device))


def central_crop_box(height, width, ratio=(1., 1.)):
    """The largest central box whose aspect ratio (width/height) lies in
    ``ratio``: ``(top, left, height, width)`` as ints."""
    in_ratio = width / height
    crop_h, crop_w = height, width
    if in_ratio < min(ratio):
        crop_h = int(round(width / min(ratio)))
    elif in_ratio > max(ratio):
        crop_w = int(round(height * max(ratio)))
    return ((height - crop_h) // 2, (width - crop_w) // 2, crop_h, crop_w)


def random_resized_crop(images, size, generator, scale=(0.08, 1.0), ratio=(3. / 4., 4. / 3.)):
    """torchvision's ``RandomResizedCrop``, batched: each image gets a crop
    box from :func:`random_resized_crop_boxes`, resized to ``size``.

    Args:
        images (torch.Tensor): ``(N, C, H, W)``, any dtype.
        size (int or (int, int)): output ``(height, width)``.
        generator (torch.Generator): on ``images.device``.
        scale, ratio: ranges of the crop's area fraction and aspect ratio.

    Returns:
        torch.Tensor: float32 ``(N, C, *size)`` in the input's value range.
        Unlike torchvision, downscaling is not antialiased (crops of small
        images are upscaled, where antialiasing makes no difference).
    """
    size = (size, size) if isinstance(size, int) else tuple(size)
    n, _, h, w = images.shape
    boxes = random_resized_crop_boxes(n, h, w, generator, scale, ratio, images.device)
    return _crop_resize(images, boxes, size)


def center_crop_resize(images, size):
    """Resize the largest central crop with ``size``'s aspect ratio to
    ``size`` (the evaluation counterpart of :func:`random_resized_crop`);
    returns float32."""
    size = (size, size) if isinstance(size, int) else tuple(size)
    n, _, h, w = images.shape
    box = central_crop_box(h, w, (size[1] / size[0],) * 2)
    boxes = torch.tensor(box, device=images.device).expand(n, 4)
    return _crop_resize(images, boxes, size)


def normalize(images, mean, std, dtype=torch.float32):
    """``(images / 255 - mean) / std`` per channel.

    Args:
        images (torch.Tensor): ``(N, C, H, W)`` in [0, 255] (uint8 or float).
        mean, std (sequence of C floats, or tensors broadcastable to
            ``(C, H, W)``, e.g. a per-pixel mean image): in [0, 1] units.
        dtype: result dtype.
    """
    device = images.device
    std = torch.as_tensor(std, dtype=torch.float64, device=device)
    mean = torch.as_tensor(mean, dtype=torch.float64, device=device)
    if std.ndim == 1:
        std, mean = std[:, None, None], mean[:, None, None]
    # One multiply-add: x * (1 / (255 std)) - mean / std.
    return torch.addcmul((-mean / std).to(dtype), images.to(dtype), (1. / (255. * std)).to(dtype))


def cutout(images, size, generator):
    """Set a ``size x size`` square at a random centre of each image to 0
    (DeVries & Taylor 2017; the square may be cut by the border).  Applied
    after :func:`normalize`, 0 is the mean colour, as in the paper."""
    n, _, h, w = images.shape
    device = images.device
    centre = torch.stack([torch.randint(0, h, (n,), generator=generator, device=device),
                          torch.randint(0, w, (n,), generator=generator, device=device)], 1)
    start = centre - size // 2
    rows = torch.arange(h, device=device)[None] - start[:, :1]
    cols = torch.arange(w, device=device)[None] - start[:, 1:]
    inside = ((rows >= 0) & (rows < size))[:, :, None] & ((cols >= 0) & (cols < size))[:, None, :]
    return images.masked_fill(inside[:, None], 0)
