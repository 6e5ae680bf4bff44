"""The augmentation recipe a loader applies to every training batch, and
the one order in which every loader applies it."""

from collections.abc import Sequence
from typing import Any

import numpy
import torch

from chainvision.datasets.loader import augment

Statistics = Sequence[float] | numpy.ndarray | torch.Tensor
"""Per-channel mean or std for normalisation: ``C`` floats, or an array
broadcastable to ``(C, H, W)`` (a per-pixel mean image), in [0, 1] units."""


class Augmentation:
    """Which batched augmentations to apply, in the order of
    :func:`augment_and_normalize`: random-resized crop, random crop with
    padding, horizontal flip, alternating flip, (normalisation), cutout.

    Args:
        crop_padding (int): pad by this many pixels and crop back (0: off).
        padding_mode (str): ``'zeros'`` or ``'reflect'``.
        flip (bool): random horizontal flip with probability 0.5.
        alternating_flip (bool): mirror each image in every other epoch
            (:func:`~chainvision.datasets.loader.augment.alternating_flip_lr`;
            needs the batch's :class:`~chainvision.datasets.loader.augment.BatchPosition`).
        resized_crop_scale ((float, float) or None): area range of a
            random-resized crop (torchvision's ``scale``); ``None``: off.
        resized_crop_ratio ((float, float)): its aspect-ratio range.
        cutout (int): side of the cutout square (0: off).

    Examples: He et al. 2016 on CIFAR: ``Augmentation(crop_padding=4,
    flip=True)``; the UvA tutorial: ``Augmentation(flip=True,
    resized_crop_scale=(0.8, 1.0), resized_crop_ratio=(0.9, 1.1))``;
    airbench94: ``Augmentation(crop_padding=2, padding_mode='reflect',
    alternating_flip=True)``.
    """

    def __init__(self, crop_padding: int = 0, padding_mode: str = 'zeros', flip: bool = False,
                 resized_crop_scale: Sequence[float] | None = None,
                 resized_crop_ratio: Sequence[float] = (3. / 4., 4. / 3.), cutout: int = 0,
                 alternating_flip: bool = False) -> None:
        if padding_mode not in ('zeros', 'reflect'):
            raise ValueError("padding_mode must be 'zeros' or 'reflect', got {!r}".format(
                padding_mode))
        self.crop_padding = int(crop_padding)
        self.padding_mode = padding_mode
        self.flip = bool(flip)
        self.resized_crop_scale = None if resized_crop_scale is None else tuple(resized_crop_scale)
        self.resized_crop_ratio = tuple(resized_crop_ratio)
        self.cutout = int(cutout)
        self.alternating_flip = bool(alternating_flip)

    @classmethod
    def parse(cls, text: str) -> 'Augmentation':
        """Build from a comma-separated spec, as the command line takes it:
        ``'crop4'`` (pad 4, zeros), ``'crop4reflect'``, ``'flip'``,
        ``'altflip'`` (alternating flip), ``'rrc'`` or ``'rrc0.8-1.0'`` (resized crop with that scale; ratio
        ``'rrc0.8-1.0:0.9-1.1'``), ``'cutout16'``; ``'none'`` or ``''``:
        nothing.  E.g. ``'crop4,flip'``."""
        options: dict[str, Any] = {}
        for item in filter(None, (part.strip() for part in text.lower().split(','))):
            if item == 'none':
                continue
            if item == 'flip':
                options['flip'] = True
            elif item == 'altflip':
                options['alternating_flip'] = True
            elif item.startswith('cutout'):
                options['cutout'] = int(item[len('cutout'):])
            elif item.startswith('crop'):
                digits = item[len('crop'):]
                if digits.endswith('reflect'):
                    options['padding_mode'] = 'reflect'
                    digits = digits[:-len('reflect')]
                options['crop_padding'] = int(digits or 4)
            elif item.startswith('rrc'):
                scale, _, ratio = item[len('rrc'):].partition(':')
                options['resized_crop_scale'] = _range(scale) if scale else (0.08, 1.0)
                if ratio:
                    options['resized_crop_ratio'] = _range(ratio)
            else:
                raise ValueError('unknown augmentation {!r} in {!r}; use crop4, crop4reflect, '
                                 'flip, altflip, rrc0.8-1.0:0.9-1.1, cutout16 or none'.format(item, text))
        return cls(**options)

    def geometric(self, images: torch.Tensor, generator: torch.Generator,
                  size: Sequence[int] | None = None,
                  position: augment.BatchPosition | None = None) -> torch.Tensor:
        """Apply the crops and the flips to a ``(N, C, H, W)`` batch.

        ``size`` is the output size of the random-resized crop (default: the
        input size); ``position`` (a ``BatchPosition``) is needed by the
        alternating flip.  Returns uint8 for uint8 input unless the
        random-resized crop is on (then float32 in [0, 255])."""
        if self.resized_crop_scale is not None:
            images = augment.random_resized_crop(images, size or images.shape[-2:], generator,
                                                 self.resized_crop_scale, self.resized_crop_ratio)
        if self.crop_padding:
            images = augment.random_crop_with_padding(images, self.crop_padding, generator,
                                                      self.padding_mode)
        if self.flip:
            images = augment.flip_lr(images, generator)
        if self.alternating_flip:
            if position is None:
                raise ValueError('the alternating flip needs the batch\'s dataset indices and '
                                 'epoch (a BatchPosition): use a DeviceLoader')
            images = augment.alternating_flip_lr(images, position)
        return images

    def after_normalize(self, images: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        """Apply cutout (to normalised images, so the square is the mean colour)."""
        if self.cutout:
            images = augment.cutout(images, self.cutout, generator)
        return images

    def __repr__(self) -> str:
        return ('Augmentation(crop_padding={}, padding_mode={!r}, flip={}, resized_crop_scale={}, '
                'resized_crop_ratio={}, cutout={}, alternating_flip={})'.format(
                    self.crop_padding, self.padding_mode, self.flip, self.resized_crop_scale,
                    self.resized_crop_ratio, self.cutout, self.alternating_flip))


def augment_and_normalize(images: torch.Tensor, augmentation: Augmentation | None,
                          generator: torch.Generator, mean: Statistics, std: Statistics,
                          dtype: torch.dtype = torch.float32, size: Sequence[int] | None = None,
                          position: augment.BatchPosition | None = None) -> torch.Tensor:
    """The input pipeline of every loader: ``augmentation``'s crops and
    flip, then :func:`~chainvision.datasets.loader.augment.normalize`, then
    its cutout (on normalised images, so the square is the mean colour).

    Args:
        images (torch.Tensor): uint8 ``(N, C, H, W)``.
        augmentation (Augmentation or None): ``None``: normalisation only.
        generator (torch.Generator): on ``images.device``.
        mean, std: as :func:`~chainvision.datasets.loader.augment.normalize`.
        dtype: the result's dtype.
        size ((int, int) or None): output size of a random-resized crop
            (default: the input size).
        position (BatchPosition or None): for the alternating flip.

    Returns:
        torch.Tensor: ``(N, C, H', W')`` of ``dtype``.
    """
    if augmentation is not None:
        images = augmentation.geometric(images, generator, size, position)
    images = augment.normalize(images, mean, std, dtype)
    if augmentation is not None:
        images = augmentation.after_normalize(images, generator)
    return images


def _range(text: str) -> tuple[float, float]:
    low, _, high = text.partition('-')
    return float(low), float(high)
