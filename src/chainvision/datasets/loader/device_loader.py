"""A whole image dataset held on the training device as uint8, batched and
augmented with tensor operations: no per-image Python, no worker processes,
no host-to-device copy per batch (the airbench approach).

Measured on this project's 2-core CPU (``python benchmarks/input_pipeline.py``,
CIFAR-10, random crop with 4-pixel padding + flip + normalisation, batch
128): 75,000 images/s, 0.8% of a ResNet-20 training step; a per-sample
Dataset in a DataLoader makes 19,000 (0 workers) or 29,000 (2 workers).
"""

from collections.abc import Sequence
from typing import Any

import numpy
import torch

from chainvision import backend
from chainvision.dataset.convert import Batch
from chainvision.datasets.loader import augment
from chainvision.datasets.loader._epoch import EpochLoader, single_threaded
from chainvision.datasets.loader.augmentation import (
    Augmentation, Statistics, augment_and_normalize)
from chainvision.datasets.tuple_dataset import TupleDataset


def _as_tensor(array: numpy.ndarray | torch.Tensor, dtype: torch.dtype,
               device: torch.device) -> torch.Tensor:
    if isinstance(array, torch.Tensor):
        return array.to(device=device, dtype=dtype)
    # numpy.array copies a read-only memory map into writable memory once.
    return torch.from_numpy(numpy.array(array)).to(device=device, dtype=dtype)


class DeviceLoader(EpochLoader):
    """Batches ``(x, t)`` of an in-memory image dataset, built on ``device``.

    Each ``next()`` returns a :class:`chainvision.dataset.Batch` ``(x, t)``:
    ``x`` float ``(B, C, H', W')`` augmented and normalised, ``t`` int64
    ``(B,)``, both already on ``device``.  It follows Chainer's iterator
    protocol (``epoch``, ``is_new_epoch``, ``epoch_detail``,
    ``previous_epoch_detail``, ``reset()``, ``serialize()``), so a
    ``StandardUpdater`` or ``Evaluator`` consumes it with its default
    converter; it is also a plain Python iterator (``for x, t in loader``).

    Args:
        images: uint8 ``(N, C, H, W)`` array or tensor (copied to ``device`` once).
        labels: int ``(N,)`` array or tensor.
        batch_size (int): examples per batch.
        augmentation (Augmentation or None): applied to every batch.
        mean, std (sequence of C floats, an array broadcastable to
            ``(C, H, W)`` such as a per-pixel mean image, or None):
            normalisation in [0, 1] units (``None``: ``x = images / 255``).
        shuffle (bool): a new random order every epoch.
        repeat (bool): loop forever, or stop after one epoch.
        drop_last (bool): drop the last, smaller batch of each epoch.
        seed (int): seeds the one generator behind order and augmentation.
        device: where data and batches live (default: CPU).
        dtype: dtype of ``x`` (default float32).
        output_size ((int, int) or None): size of random-resized crops
            (default: the input size).
    """

    def __init__(self, images: numpy.ndarray | torch.Tensor, labels: numpy.ndarray | torch.Tensor,
                 batch_size: int, augmentation: Augmentation | None = None,
                 mean: Statistics | None = None, std: Statistics | None = None,
                 shuffle: bool = True, repeat: bool = True, drop_last: bool = False,
                 seed: int = 0, device: str | int | torch.device | None = None,
                 dtype: torch.dtype = torch.float32,
                 output_size: Sequence[int] | None = None) -> None:
        self.device = backend.get_device(device).torch_device
        self.images = _as_tensor(images, torch.uint8, self.device)
        self.labels = _as_tensor(labels, torch.int64, self.device)
        if self.images.ndim != 4 or len(self.images) != len(self.labels):
            raise ValueError('images must be (N, C, H, W) with one label each; got {} and {}'
                             .format(tuple(self.images.shape), tuple(self.labels.shape)))
        self.augmentation = augmentation
        channels = self.images.shape[1]
        # Kept as tensors on the device, so no batch converts them again.
        self.mean = torch.as_tensor((0.,) * channels if mean is None else mean,
                                    dtype=torch.float64, device=self.device)
        self.std = torch.as_tensor((1.,) * channels if std is None else std,
                                   dtype=torch.float64, device=self.device)
        self.dtype = dtype
        self.output_size = output_size
        self.generator = torch.Generator(device=self.device)
        self._size = len(self.images)
        self._init_epochs(batch_size, shuffle, repeat, drop_last, seed)

    @classmethod
    def from_dataset(cls, name: str, split: str = 'train', batch_size: int = 128,
                     augmentation: Augmentation | None = None,
                     indices: numpy.ndarray | None = None, normalize: bool = True,
                     **kwargs: Any) -> 'DeviceLoader':
        """A loader over a named dataset (``'cifar10'``, ``'mnist'``...).

        Args:
            name, split: as :func:`chainvision.datasets.load_arrays`.
            indices (int array or None): use only these examples (e.g. one
                side of :func:`chainvision.datasets.split_indices`).
            normalize (bool): normalise with the training split's
                per-channel mean and std (:func:`train_mean_std`).
            **kwargs: the other :class:`DeviceLoader` arguments.
        """
        from chainvision.datasets.arrays import load_arrays, train_mean_std
        images, labels = load_arrays(name, split)
        if indices is not None:
            images, labels = images[indices], labels[indices]
        if normalize:
            kwargs['mean'], kwargs['std'] = train_mean_std(name)
        return cls(images, labels, batch_size, augmentation, **kwargs)

    @property
    def dataset(self) -> TupleDataset:
        """The un-augmented examples, as a :class:`TupleDataset` of the
        ``images`` and ``labels`` tensors (``len`` is the number of examples)."""
        return TupleDataset(self.images, self.labels)

    def _make_batch(self, indices: torch.Tensor) -> Batch:
        with single_threaded():
            x = self.images.index_select(0, indices)  # 8x faster than images[indices]
            # The batch's epoch: ``epoch`` has already moved on after an epoch's last batch.
            position = augment.BatchPosition(indices, int(self.previous_epoch_detail), self.seed)
            x = augment_and_normalize(x, self.augmentation, self.generator, self.mean, self.std,
                                      self.dtype, self.output_size, position)
            return Batch((x, self.labels.index_select(0, indices)))
