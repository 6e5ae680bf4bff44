"""Reading the MNIST-format idx ``.gz`` files shared by MNIST and Fashion-MNIST."""

import gzip
import struct
import zlib

import numpy
from numpy.typing import DTypeLike

import chainvision
from chainvision.datasets import _array_cache, _files
from chainvision.datasets._registry import DatasetSpec, register
from chainvision.datasets.tuple_dataset import TupleDataset

_SPLIT_PREFIX = {'train': 'train', 'test': 't10k'}


def _read_idx(path: str, magic: int, item_shape: tuple[int, ...]) -> numpy.ndarray:
    try:
        with gzip.open(path, 'rb') as f:
            data = f.read()
    except (OSError, EOFError, zlib.error) as error:
        raise _files.DatasetFileError('{} is not a readable gzip file ({}); delete it and put '
                                      'the original there'.format(path, error)) from None
    header_size = 4 * (1 + 1 + len(item_shape))
    fields = struct.unpack('>' + 'i' * (header_size // 4), data[:header_size])
    count = fields[1]
    if fields[0] != magic or tuple(fields[2:]) != item_shape or \
            len(data) != header_size + count * int(numpy.prod(item_shape, dtype=int)):
        raise _files.DatasetFileError('{} is not an idx file of {} items shaped {}'.format(
            path, 'image' if item_shape else 'label', item_shape))
    return numpy.frombuffer(data, numpy.uint8, offset=header_size).reshape((count,) + item_shape)


def register_idx_dataset(name: str, folder: str, urls: list[str], md5s: dict[str, str],
                         class_names: tuple[str, ...]) -> DatasetSpec:
    """Register an MNIST-format dataset.

    Args:
        name (str): registry name.
        folder (str): folder under the dataset root with the four ``.gz`` files.
        urls (list of str): base addresses (ending in ``/``), tried in order.
        md5s (dict): official md5 of each ``.gz`` file name.
        class_names (tuple of str): label names.
    """
    def load_split(split: str, verify: bool = False) -> tuple[numpy.ndarray, numpy.ndarray]:
        prefix = _SPLIT_PREFIX[split]
        filenames = {'images': prefix + '-images-idx3-ubyte.gz',
                     'labels': prefix + '-labels-idx1-ubyte.gz'}

        def build() -> tuple[numpy.ndarray, numpy.ndarray]:
            paths = {kind: _files.ensure_file(folder, filename, [u + filename for u in urls],
                                              md5s[filename])
                     for kind, filename in filenames.items()}
            images = _read_idx(paths['images'], 2051, (28, 28))
            labels = _read_idx(paths['labels'], 2049, ())
            if len(images) != len(labels):
                raise _files.DatasetFileError('{} has {} images but {} has {} labels'.format(
                    paths['images'], len(images), paths['labels'], len(labels)))
            return images[:, None], labels.astype(numpy.int64)
        return _array_cache.cached_arrays(folder, split, build, {
            filename: md5s[filename] for filename in filenames.values()}, verify)

    return register(DatasetSpec(name, folder, tuple(class_names), (1, 28, 28),
                                ('train', 'test'), load_split))


def to_chainer_dataset(images: numpy.ndarray, labels: numpy.ndarray, withlabel: bool, ndim: int,
                       scale: float, dtype: DTypeLike | None, label_dtype: DTypeLike,
                       rgb_format: bool) -> TupleDataset | numpy.ndarray:
    """Chainer's MNIST preprocessing of uint8 ``(N, 1, 28, 28)`` images:
    reshape to ``ndim`` (1: ``(784,)``, 2: ``(28, 28)``, 3: ``(1, 28, 28)``,
    or ``(3, 28, 28)`` with ``rgb_format``), scale to ``[0, scale]`` in
    ``dtype`` (default ``chainvision.config.dtype``)."""
    shapes = {1: (784,), 2: (28, 28), 3: (1, 28, 28)}
    if ndim not in shapes:
        raise ValueError('invalid ndim {} for MNIST: use 1, 2 or 3'.format(ndim))
    images = images.reshape((len(images),) + shapes[ndim])
    if ndim == 3 and rgb_format:
        images = numpy.broadcast_to(images, (len(images), 3, 28, 28))
    images = images.astype(dtype or chainvision.config.dtype)
    images *= scale / 255.
    if not withlabel:
        return images
    return TupleDataset(images, numpy.asarray(labels).astype(label_dtype))
