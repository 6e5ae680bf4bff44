"""Datasets read from their original files under the dataset root, and
Chainer's dataset API.

- Chainer's functions and wrappers: :func:`get_mnist`, :func:`get_fashion_mnist`,
  :func:`get_cifar10`, :func:`get_cifar100`, :class:`TupleDataset`,
  :class:`DictDataset`, :class:`SubDataset`, :func:`split_dataset`,
  :func:`split_dataset_random`, :func:`split_dataset_n` (and ``_random``),
  :func:`get_cross_validation_datasets` (and ``_random``),
  :class:`ConcatenatedDataset`, :class:`TransformDataset`,
  :class:`ImageDataset`, :class:`LabeledImageDataset`.
- Raw arrays for fast training: :func:`load_arrays`, :func:`get_info`,
  :func:`train_mean_std`, :func:`split_indices`.
- Folders of images: :func:`image_folder`; one image file: :func:`read_image`,
  fitted to a network's input size by :func:`resize_and_center_crop`.
- Batches on the device: :class:`DeviceLoader` (in-memory datasets) and
  :class:`FolderLoader` (image folders, decoded by worker processes), with
  the batched augmentations of :mod:`chainvision.datasets.loader`.
"""

from chainvision.dataset.download import get_dataset_root  # noqa: F401
from chainvision.datasets._files import DatasetFileError, get_cache_dir  # noqa: F401
from chainvision.datasets._image_io import read_image, resize_and_center_crop  # noqa: F401
from chainvision.datasets.arrays import (  # noqa: F401
    DatasetInfo, compute_mean_std, get_info, list_datasets, load_arrays, split_indices,
    train_mean_std)
from chainvision.datasets.cifar import get_cifar10, get_cifar100  # noqa: F401
from chainvision.datasets.concatenated_dataset import ConcatenatedDataset  # noqa: F401
from chainvision.datasets.dict_dataset import DictDataset  # noqa: F401
from chainvision.datasets.fashion_mnist import (  # noqa: F401
    get_fashion_mnist, get_fashion_mnist_labels)
from chainvision.datasets.image_dataset import ImageDataset, LabeledImageDataset  # noqa: F401
from chainvision.datasets.image_folder import image_folder  # noqa: F401
from chainvision.datasets.loader import Augmentation, DeviceLoader, FolderLoader  # noqa: F401
from chainvision.datasets.mnist import get_mnist  # noqa: F401
from chainvision.datasets.sub_dataset import (  # noqa: F401
    SubDataset, get_cross_validation_datasets, get_cross_validation_datasets_random,
    split_dataset, split_dataset_n, split_dataset_n_random, split_dataset_random)
from chainvision.datasets.transform_dataset import TransformDataset  # noqa: F401
from chainvision.datasets.tuple_dataset import TupleDataset  # noqa: F401
