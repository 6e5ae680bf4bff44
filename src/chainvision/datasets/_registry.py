"""The named datasets behind :func:`chainvision.datasets.load_arrays`.

Each dataset module registers a :class:`DatasetSpec`; ``load_arrays`` and
the loaders only ever look datasets up here, by name.
"""

from typing import Callable, NamedTuple

import numpy


class DatasetSpec(NamedTuple):
    """A named dataset.

    Attributes:
        name (str): e.g. ``'cifar10'``.
        folder (str): its folder under the dataset root.
        class_names (tuple of str): one per label, in label order.
        image_shape (tuple of int): ``(C, H, W)`` of one image.
        splits (tuple of str): e.g. ``('train', 'test')``.
        load_split (callable): ``load_split(split, verify=False) -> (images,
            labels)``: uint8 ``(N, C, H, W)`` and int64 ``(N,)`` arrays
            (memory-mapped cache; ``verify`` hashes the cache files whole).
    """

    name: str
    folder: str
    class_names: tuple[str, ...]
    image_shape: tuple[int, int, int]
    splits: tuple[str, ...]
    load_split: Callable[..., tuple[numpy.ndarray, numpy.ndarray]]


_SPECS: dict[str, DatasetSpec] = {}


def register(spec: DatasetSpec) -> DatasetSpec:
    """Add a :class:`DatasetSpec` under ``spec.name``."""
    _SPECS[spec.name] = spec
    return spec


def get_spec(name: str) -> DatasetSpec:
    """The :class:`DatasetSpec` for ``name`` (``'-'`` and ``'_'`` are the same)."""
    key = name.replace('-', '_').lower()
    if key not in _SPECS:
        raise ValueError('unknown dataset {!r}; known: {} (or use image_folder(path) for a '
                         'folder of class sub-folders)'.format(name, ', '.join(sorted(_SPECS))))
    return _SPECS[key]


def list_datasets() -> list[str]:
    """Names of the registered datasets, sorted."""
    return sorted(_SPECS)
