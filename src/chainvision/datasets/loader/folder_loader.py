"""Batches from an image folder too big for memory: worker processes decode
with Pillow and apply the same augmentations per image; the main process
only collates and moves batches to the device."""

from collections.abc import Iterator, Sequence
from typing import Any, Protocol

import numpy
import torch

from chainvision import backend
from chainvision.dataset.convert import Batch
from chainvision.datasets.image_folder import image_folder
from chainvision.datasets.loader import augment
from chainvision.datasets.loader._epoch import EpochLoader, single_threaded
from chainvision.datasets.loader.augmentation import (
    Augmentation, Statistics, augment_and_normalize)


class Examples(Protocol):
    """What the folder loader reads: ``len(examples)`` and
    ``examples[i] -> (uint8 (C, H, W) image, label)`` (an :class:`ImageFolder`)."""

    def __len__(self) -> int: ...

    def __getitem__(self, index: int) -> tuple[numpy.ndarray, Any]: ...


class _DecodedImages(torch.utils.data.Dataset):
    """``dataset[(index, seed)]`` -> ``(x float (C, H, W), label)``: decode,
    fit to ``size``, augment with a generator seeded by ``seed``, normalise.

    Per-image seeds make the result independent of the number of workers
    and of which worker gets which image."""

    def __init__(self, folder: Examples, size: tuple[int, ...],
                 augmentation: Augmentation | None, mean: Statistics, std: Statistics) -> None:
        self.folder = folder
        self.size = size
        self.augmentation = augmentation
        self.mean = mean
        self.std = std

    def __len__(self) -> int:
        return len(self.folder)

    def __getitem__(self, key: tuple[int, int]) -> tuple[torch.Tensor, int]:
        index, seed = key
        image, label = self.folder[index]
        x = torch.from_numpy(image)[None]
        generator = torch.Generator().manual_seed(seed)
        if self.augmentation is None or self.augmentation.resized_crop_scale is None:
            x = _fit(x, self.size)
        x = augment_and_normalize(x, self.augmentation, generator, self.mean, self.std,
                                  size=self.size)
        return x[0], int(label)


def _fit(images: torch.Tensor, size: tuple[int, ...]) -> torch.Tensor:
    if tuple(images.shape[-2:]) == size:
        return images
    return augment.center_crop_resize(images, size).round_().clamp_(0, 255).to(torch.uint8)


class FolderLoader(EpochLoader):
    """Batches ``(x, t)`` from an :class:`~chainvision.datasets.image_folder.ImageFolder`
    (or any dataset of ``(uint8 (C, H, W) image, label)`` examples of varying
    sizes), decoded and augmented by ``num_workers`` processes.

    Each image is resized to ``image_size``: by the random-resized crop when
    the augmentation has one, otherwise by resizing its largest central crop
    of that shape; then the other augmentations of :class:`Augmentation`
    apply, as in :class:`DeviceLoader`.  Same iterator protocol, epochs,
    ``drop_last``, ``seed`` and ``serialize`` as :class:`DeviceLoader`.

    Args:
        dataset: an ``ImageFolder`` (or a path, opened with :func:`image_folder`).
        batch_size (int): examples per batch.
        image_size (int or (int, int)): output height and width.
        augmentation (Augmentation or None), mean, std, shuffle, repeat,
            drop_last, seed, device: as :class:`DeviceLoader`.
        num_workers (int): decoding processes (0: in the main process).
    """

    def __init__(self, dataset: Examples | str, batch_size: int,
                 image_size: int | Sequence[int] = 224, augmentation: Augmentation | None = None,
                 mean: Statistics | None = None, std: Statistics | None = None,
                 shuffle: bool = True, repeat: bool = True, drop_last: bool = False,
                 seed: int = 0, device: str | int | torch.device | None = None,
                 num_workers: int = 2) -> None:
        if isinstance(dataset, str):
            dataset = image_folder(dataset)
        self.dataset = dataset
        self.image_size = (image_size,) * 2 if isinstance(image_size, int) else tuple(image_size)
        channels = dataset[0][0].shape[0] if len(dataset) else 3
        self._decoded = _DecodedImages(dataset, self.image_size, augmentation,
                                       (0.,) * channels if mean is None else mean,
                                       (1.,) * channels if std is None else std)
        self.device = backend.get_device(device).torch_device
        self.num_workers = num_workers
        self.generator = torch.Generator()
        self._size = len(dataset)
        self._batches: Iterator[list[torch.Tensor]] | None = None
        self._init_epochs(batch_size, shuffle, repeat, drop_last, seed)

    def _new_order(self) -> None:
        super()._new_order()
        self._seeds = torch.randint(0, 2 ** 62, (self._size,), generator=self.generator)
        self._batches = None

    def _start_epoch_batches(self) -> Iterator[list[torch.Tensor]]:
        keys = list(zip(self._order.tolist(), self._seeds.tolist()))
        starts = range(self.current_position, self._epoch_end, self.batch_size)
        batch_keys = [keys[s:min(s + self.batch_size, self._epoch_end)] for s in starts]
        loader = torch.utils.data.DataLoader(
            self._decoded, batch_sampler=batch_keys, num_workers=self.num_workers,
            pin_memory=self.device.type == 'cuda')
        return iter(loader)

    def __next__(self) -> Batch:
        if not self.repeat and self.epoch > 0:
            raise StopIteration
        if self._batches is None:
            self._batches = self._start_epoch_batches()
        with single_threaded():
            x, t = next(self._batches)
        self._next_indices()
        return Batch((x.to(self.device, non_blocking=True), t.to(self.device, non_blocking=True)))

    next = __next__

    def serialize(self, serializer: Any) -> None:
        """As :meth:`DeviceLoader.serialize`, plus this epoch's per-image seeds."""
        super().serialize(serializer)
        seeds = serializer('seeds', self._seeds.numpy())
        self._seeds = torch.as_tensor(numpy.asarray(seeds, dtype=numpy.int64))
        self._batches = None
