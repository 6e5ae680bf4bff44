"""The raw-array API the fast loader and the trainer use: a named dataset's
split as one uint8 ``(N, C, H, W)`` array and int64 labels, its metadata,
and its training-split channel statistics."""

import json
import os
from typing import NamedTuple

import numpy
import torch

from chainvision.datasets import _files, _registry
from chainvision.utils.atomic import atomic_write

class DatasetInfo(NamedTuple):
    """Metadata of a named dataset: ``name``, ``class_names`` (in label
    order), ``num_classes``, ``image_shape`` (``(C, H, W)``) and ``splits``
    (e.g. ``('train', 'test')``)."""

    name: str
    class_names: tuple[str, ...]
    num_classes: int
    image_shape: tuple[int, int, int]
    splits: tuple[str, ...]


def list_datasets() -> list[str]:
    """Names accepted by :func:`load_arrays`: ``cifar10``, ``cifar100``,
    ``fashion_mnist``, ``mnist``."""
    return _registry.list_datasets()


def get_info(name: str) -> DatasetInfo:
    """Return the :class:`DatasetInfo` of a named dataset (reads no files)."""
    spec = _registry.get_spec(name)
    return DatasetInfo(spec.name, spec.class_names, len(spec.class_names), spec.image_shape,
                       spec.splits)


def load_arrays(name: str, split: str = 'train',
                verify: bool = False) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Return ``(images, labels)`` of one split of a named dataset.

    Args:
        name (str): ``'mnist'``, ``'fashion_mnist'``, ``'cifar10'`` or ``'cifar100'``.
        split (str): ``'train'`` or ``'test'``.
        verify (bool): hash the cache files whole (every load checks their
            sizes and a sampled hash; a cache that fails is rebuilt from the
            originals with a warning).

    Returns:
        ``images``: uint8 ``(N, C, H, W)``, ``labels``: int64 ``(N,)`` — read-only
        NumPy memory maps of the cache (the first call decodes and verifies
        the originals, later calls open the cache in milliseconds).

    Raises:
        chainvision.datasets.DatasetFileError: a file is missing (and cannot
            be downloaded) or fails its checksum.
    """
    spec = _registry.get_spec(name)
    if split not in spec.splits:
        raise ValueError('{} has splits {}, not {!r}'.format(spec.name, spec.splits, split))
    return spec.load_split(split, verify)


def compute_mean_std(images: numpy.ndarray | torch.Tensor
                     ) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Per-channel mean and std of uint8 ``(N, C, H, W)`` images, in [0, 1]
    units, exact (from a 256-bin histogram per channel, in float64).

    Returns:
        ``(mean, std)``: float64 arrays of shape ``(C,)`` (population std).
    """
    images = numpy.asarray(images)
    levels = numpy.arange(256, dtype=numpy.float64) / 255.
    means, stds = [], []
    for c in range(images.shape[1]):
        counts = numpy.bincount(images[:, c].reshape(-1), minlength=256).astype(numpy.float64)
        total = counts.sum()
        mean = counts @ levels / total
        means.append(mean)
        stds.append(numpy.sqrt(counts @ (levels - mean) ** 2 / total))
    return numpy.array(means), numpy.array(stds)


def train_mean_std(name: str) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Per-channel ``(mean, std)`` of the training split of a named dataset
    (float64 ``(C,)`` arrays in [0, 1] units), computed once and cached as
    ``train-mean-std.json`` beside the array cache.  CIFAR-10:
    mean 0.4914/0.4822/0.4465, std 0.2470/0.2435/0.2616; MNIST: 0.1307/0.3081."""
    spec = _registry.get_spec(name)
    path = os.path.join(_files.arrays_cache_folder(spec.folder), 'train-mean-std.json')
    if os.path.isfile(path):
        with open(path) as f:
            stats = json.load(f)
        return numpy.array(stats['mean']), numpy.array(stats['std'])
    mean, std = compute_mean_std(load_arrays(name, 'train')[0])
    with atomic_write(path, 'w') as f:
        json.dump({'mean': mean.tolist(), 'std': std.tolist()}, f)
    return mean, std


def split_indices(n: int, first_size: int,
                  seed: int = 0) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Split ``range(n)`` at random into index arrays of ``first_size`` and
    ``n - first_size`` (int64, each sorted), reproducibly from ``seed``
    (e.g. CIFAR-10's 45,000/5,000 train/validation split)."""
    if not 0 <= first_size <= n:
        raise ValueError('first_size must be in [0, {}], got {}'.format(n, first_size))
    order = torch.randperm(n, generator=torch.Generator().manual_seed(seed)).numpy()
    return numpy.sort(order[:first_size]), numpy.sort(order[first_size:])
