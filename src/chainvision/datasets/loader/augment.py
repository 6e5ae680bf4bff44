"""Batched image augmentations: one call transforms a whole ``(N, C, H, W)``
batch on its own device, each image with its own random parameters.

Every function draws its randomness from the ``torch.Generator`` it is
given (on the images' device), so one seed fixes every batch.  Geometric
operations keep uint8 images uint8 (except :func:`random_resized_crop`,
which interpolates); :func:`normalize` turns them into floats.
"""

import math
from typing import NamedTuple

import torch
import torch.nn.functional as F


def _uniform(n, low, high, generator, device):
    draws = torch.rand(n, generator=generator, device=device, dtype=torch.float64)
    return draws * (high - low) + low


def flip_lr(images, generator, p=0.5):
    """Mirror each image left-right with probability ``p``.

    Args:
        images (torch.Tensor): ``(N, C, H, W)``, any dtype.
        generator (torch.Generator): on ``images.device``.
    """
    flip = torch.rand(len(images), generator=generator, device=images.device) < p
    return torch.where(flip[:, None, None, None], images.flip(-1), images)


class BatchPosition(NamedTuple):
    """Where a batch lies in a seeded run: what the augmentations that are
    not random per batch (:func:`alternating_flip_lr`) depend on.

    Attributes:
        indices (torch.Tensor): int64 ``(N,)``, each image's index in the dataset.
        epoch (int): the epoch the batch belongs to (0 for the first).
        seed (int): the loader's seed.
    """

    indices: torch.Tensor
    epoch: int
    seed: int


def _hash_bit(indices, seed):
    """One pseudo-random bit per index, a function of the index and the
    seed alone: Knuth's multiplicative hashing, then two rounds of a
    multiply-xorshift mixer (T. Mueller's 32-bit hash, here modulo 2^31 so
    that int64 products never overflow)."""
    modulus = 2 ** 31
    key = (indices.to(torch.int64) * 2654435761 % modulus + seed * 2246822519) % modulus
    for _ in range(2):
        key = ((key >> 16) ^ key) * 0x45d9f3b % modulus
    return ((key >> 16) ^ key) & 1


def alternating_flip_lr(images, position):
    """Alternating flip (Jordan 2024, arXiv:2404.00498; airbench94's
    loader): half of the images, chosen once per run, are
    mirrored in even epochs and the other half in odd epochs, so every pair of
    consecutive epochs shows each image both ways, where a random flip
    repeats the same view in about half of the pairs.

    Which half an image belongs to is a hash of its dataset index and the
    run's seed: no state to keep, the same in every epoch and on resume.

    Args:
        images (torch.Tensor): ``(N, C, H, W)``, any dtype.
        position (BatchPosition): the images' dataset indices, the epoch
            and the seed.

    Returns:
        torch.Tensor: same shape and dtype.
    """
    flip = _hash_bit(position.indices, position.seed) != position.epoch % 2
    return torch.where(flip.to(images.device)[:, None, None, None], images.flip(-1), images)


def random_crop_with_padding(images, padding, generator, mode='zeros'):
    """Pad each image by ``padding`` pixels on every side and cut a random
    crop of the original size (the CIFAR augmentation of He et al. 2016).

    The batch is padded once; every image's crop is then one window of a
    view of all the crops (``unfold``), picked by advanced indexing: one
    copy of the output, no per-image Python loop.

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
    padded = F.pad(images, (padding,) * 4, mode='constant' if mode == 'zeros' else 'reflect')
    offsets = torch.randint(0, 2 * padding + 1, (2, n, 1), generator=generator,
                            device=images.device)
    # (N, C, 2p + 1, 2p + 1, H, W): the crop at every offset, a view.  Two
    # gathers (rows, then columns) took twice as long on the CPU.
    windows = padded.unfold(2, h, 1).unfold(3, w, 1)
    return windows[torch.arange(n, device=images.device), :, offsets[0, :, 0], offsets[1, :, 0]]


def _interpolation_matrices(start, length, out_size, in_size):
    # (N, out_size, in_size) bilinear weights: output pixel u samples the
    # source at start + (u + 0.5) * length / out_size - 0.5 (half-pixel
    # centres), clamped to the crop, so the result equals cropping first
    # and then resizing (torchvision's resized_crop).
    u = torch.arange(out_size, device=start.device, dtype=torch.float32)
    source = (u[None] + 0.5) * (length[:, None] / out_size) - 0.5
    last = (length - 1)[:, None]
    source = torch.minimum(source.clamp(min=0), last) + start[:, None]
    low = source.floor()
    frac = source - low
    low = low.long()
    high = torch.minimum(low + 1, (start[:, None] + last).long())
    weights = torch.zeros(len(start), out_size, in_size, device=start.device)
    weights.scatter_add_(2, low[..., None], (1 - frac)[..., None])
    weights.scatter_add_(2, high[..., None], frac[..., None])
    return weights


def _crop_resize(images, boxes, size):
    """Resize the crop ``boxes`` (``(N, 4)``: top, left, height, width in
    pixels) of each image to ``size`` with bilinear interpolation
    (half-pixel centres, no antialiasing); returns float32.

    Bilinear resizing is separable, so each image is ``R_y @ image @ R_x^T``
    with small per-image weight matrices: two batched matmuls, several
    times faster than ``grid_sample`` on a CPU."""
    _, _, h, w = images.shape
    top, left, height, width = boxes.to(torch.float32).unbind(1)
    rows = _interpolation_matrices(top, height, size[0], h)
    cols = _interpolation_matrices(left, width, size[1], w)
    return rows[:, None] @ images.float() @ cols[:, None].transpose(-1, -2)


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
    # Column by column with Python numbers for the fallback: a tensor made of
    # them would be a host-to-device copy, which waits for the device.
    fallback = central_crop_box(height, width, ratio)
    return torch.stack([torch.where(any_fit, column, value)
                        for column, value in zip((top, left, crop_h, crop_w), fallback)], 1)


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
    # Filled on the device (a tensor made of the numbers would be a copy
    # that waits for it).
    boxes = torch.stack([torch.full((n,), value, dtype=torch.long, device=images.device)
                         for value in box], 1)
    return _crop_resize(images, boxes, size)


def normalization_constants(mean, std, dtype=torch.float32, device=None):
    """``(scale, shift)`` such that ``images * scale - shift`` is
    ``(images / 255 - mean) / std``: ``1 / (255 std)`` and ``mean / std``,
    computed in float64 and rounded to ``dtype`` once, each ``(C, 1, 1)``
    (or ``(C, H, W)`` for a per-pixel mean).  Arguments as
    :func:`normalize`."""
    std = torch.as_tensor(std, dtype=torch.float64, device=device)
    mean = torch.as_tensor(mean, dtype=torch.float64, device=device)
    if std.ndim == 1:
        std, mean = std[:, None, None], mean[:, None, None]
    return (1. / (255. * std)).to(dtype), (mean / std).to(dtype)


def normalize(images, mean, std, dtype=torch.float32):
    """``(images / 255 - mean) / std`` per channel.

    Args:
        images (torch.Tensor): ``(N, C, H, W)`` in [0, 255] (uint8 or float).
        mean, std (sequence of C floats, or tensors broadcastable to
            ``(C, H, W)``, e.g. a per-pixel mean image): in [0, 1] units.
        dtype: result dtype.
    """
    scale, shift = normalization_constants(mean, std, dtype, images.device)
    # In place on the converted copy (torch.addcmul with broadcasting is
    # several times slower on a CPU).
    return images.to(dtype, copy=True).mul_(scale).sub_(shift)


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
