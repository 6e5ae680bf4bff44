"""CIFAR-10 and CIFAR-100 (Krizhevsky 2009): 32x32 colour images, 50,000
train and 10,000 test, from the original ``cifar-10-batches-py`` /
``cifar-100-python`` pickles under ``<root>/cifar10`` / ``<root>/cifar100``.

CIFAR-10 batches are verified by content — the sha256 of each batch's pixel
bytes followed by its labels as uint8 — so a copy with other ``filenames``
fields but the same images passes; CIFAR-100 files by their official md5.
A missing folder is filled from the official archive (md5-checked).
"""

import hashlib
import os
import pickle
import shutil
import tarfile
from typing import Any

import numpy
from numpy.typing import DTypeLike

from chainvision.datasets import _array_cache, _files
from chainvision.datasets._registry import DatasetSpec, register
from chainvision.datasets.tuple_dataset import TupleDataset
from chainvision.utils.atomic import atomic_write

_CIFAR10_CONTENT_SHA256 = {
    'data_batch_1': 'ba52cb2d72c412975d7556bb26bd094956f1c002d1937053f6f1252f2ac17114',
    'data_batch_2': '350ff9000489d02f2568c0dcf4912ffdbae9e50932147905fb1b8159ad54f0ac',
    'data_batch_3': 'a2b8653fc457df407af6c38b7e0d1a12530f3b5f81fce9f81516efd065daf722',
    'data_batch_4': '133e6292c377755074c305db8a684d48d5397372cb0aba34f52b4335eab35d97',
    'data_batch_5': 'eb08cdc11fd1267ef871cf4790f193684b3f556d13317be68f4eb374a078ea87',
    'test_batch': '9a4c74f5c8b6f2c4e13d3a1dfb43a5a8cda8a9da515e99fd620d2013a1a6287a',
}
_CIFAR100_MD5 = {'train': '16019d7e3df5f24257cddd939b257f8d',
                 'test': 'f0ef6b0ae62326f3e7ffdfab6717acfc'}
_ARCHIVES = {
    'cifar10': ('cifar-10-python.tar.gz', 'c58f30108f718f92721af3b95e74349a'),
    'cifar100': ('cifar-100-python.tar.gz', 'eb9058c3a382ffc7106e4002c42a8d85'),
}
_URL = 'https://www.cs.toronto.edu/~kriz/'

CIFAR10_CLASSES = ('airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse',
                   'ship', 'truck')
CIFAR100_CLASSES = tuple("""
apple aquarium_fish baby bear beaver bed bee beetle bicycle bottle bowl boy bridge bus butterfly
camel can castle caterpillar cattle chair chimpanzee clock cloud cockroach couch crab crocodile cup
dinosaur dolphin elephant flatfish forest fox girl hamster house kangaroo keyboard lamp lawn_mower
leopard lion lizard lobster man maple_tree motorcycle mountain mouse mushroom oak_tree orange orchid
otter palm_tree pear pickup_truck pine_tree plain plate poppy porcupine possum rabbit raccoon ray
road rocket rose sea seal shark shrew skunk skyscraper snail snake spider squirrel streetcar
sunflower sweet_pepper table tank telephone television tiger tractor train trout tulip turtle
wardrobe whale willow_tree wolf woman worm""".split())


class _ArrayOnlyUnpickler(pickle.Unpickler):
    # The batches are pickles; allowing only NumPy's array reconstruction
    # (and _codecs.encode, which Python 3 uses for bytes in protocol 2)
    # means a tampered file cannot run code when it is read.
    _ALLOWED = {('numpy.core.multiarray', '_reconstruct'),
                ('numpy._core.multiarray', '_reconstruct'),
                ('numpy', 'ndarray'), ('numpy', 'dtype'), ('_codecs', 'encode')}

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self._ALLOWED:
            raise pickle.UnpicklingError('refusing to load {}.{}'.format(module, name))
        return super().find_class(module, name)


def _read_batch(path: str, label_key: str) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Return ``(data uint8 (N, 3072), labels uint8 (N,))`` of one pickle."""
    try:
        with open(path, 'rb') as f:
            batch = _ArrayOnlyUnpickler(f, encoding='latin1').load()
        data = numpy.asarray(batch['data'], dtype=numpy.uint8).reshape(-1, 3072)
        labels = numpy.asarray(batch[label_key], dtype=numpy.uint8)
    except (pickle.UnpicklingError, EOFError, KeyError, TypeError, ValueError,
            AttributeError, IndexError) as error:
        raise _files.DatasetFileError(
            '{} is not a CIFAR batch ({}: {}); replace it with the original file'.format(
                path, type(error).__name__, error)) from None
    if len(data) != len(labels):
        raise _files.DatasetFileError('{} has {} images but {} labels'.format(
            path, len(data), len(labels)))
    return data, labels


def _extract_from_archive(name: str, members: list[str]) -> str:
    """Download (if needed) and unpack only ``members`` of the official
    archive into the dataset's folder; returns that folder."""
    filename, md5 = _ARCHIVES[name]
    unpacked = os.path.dirname(members[0])
    archive = _files.ensure_file(name, filename, [_URL + filename], md5, alternative=(
        '\n  (or put its unpacked {} folder there)'.format(unpacked)))
    folder = os.path.dirname(archive)
    with tarfile.open(archive, 'r:gz') as tar:
        for member in members:
            source = tar.extractfile(member)
            if source is None:  # a folder or a link of that name, not the file
                raise _files.DatasetFileError('{} in {} is not a file; replace the archive with '
                                              'the original'.format(member, archive))
            with atomic_write(os.path.join(folder, member)) as f:
                shutil.copyfileobj(source, f)
    return folder


def _batch_paths(name: str, members: list[str]) -> list[str]:
    paths = [_files.locate(name, m) for m in members]
    if all(paths):
        return paths
    folder = _extract_from_archive(name, members)
    return [os.path.join(folder, m) for m in members]


def _check_cifar10_content(path: str, data: numpy.ndarray, labels: numpy.ndarray) -> None:
    expected = _CIFAR10_CONTENT_SHA256[os.path.basename(path)]
    actual = hashlib.sha256(data.tobytes() + labels.tobytes()).hexdigest()
    if actual != expected:
        raise _files.DatasetFileError(
            'checksum mismatch for {}: the sha256 of its pixels then labels is {}, expected {}; '
            'replace it with the original from {} (unpack into {})'.format(
                path, actual, expected, _URL + _ARCHIVES['cifar10'][0],
                os.path.dirname(os.path.dirname(path))))


def _load_cifar10(split: str, verify: bool = False) -> tuple[numpy.ndarray, numpy.ndarray]:
    names = ['data_batch_{}'.format(i) for i in range(1, 6)] if split == 'train' else ['test_batch']
    members = ['cifar-10-batches-py/' + n for n in names]

    def build() -> tuple[numpy.ndarray, numpy.ndarray]:
        datas, labels = [], []
        for path in _batch_paths('cifar10', members):
            data, label = _read_batch(path, 'labels')
            _check_cifar10_content(path, data, label)
            datas.append(data)
            labels.append(label)
        return (numpy.concatenate(datas).reshape(-1, 3, 32, 32),
                numpy.concatenate(labels).astype(numpy.int64))
    return _array_cache.cached_arrays('cifar10', split, build, {
        name: _CIFAR10_CONTENT_SHA256[name] for name in names}, verify)


def _load_cifar100(split: str, verify: bool = False) -> tuple[numpy.ndarray, numpy.ndarray]:
    member = 'cifar-100-python/' + split

    def build() -> tuple[numpy.ndarray, numpy.ndarray]:
        path, = _batch_paths('cifar100', [member])
        actual = _files.file_digest(path)
        if actual != _CIFAR100_MD5[split]:
            raise _files.DatasetFileError(
                'checksum mismatch for {}: md5 {}, expected {}; replace it with the original '
                'from {}'.format(path, actual, _CIFAR100_MD5[split],
                                 _URL + _ARCHIVES['cifar100'][0]))
        data, labels = _read_batch(path, 'fine_labels')
        return data.reshape(-1, 3, 32, 32), labels.astype(numpy.int64)
    return _array_cache.cached_arrays('cifar100', split, build,
                                      {split: _CIFAR100_MD5[split]}, verify)


CIFAR10 = register(DatasetSpec('cifar10', 'cifar10', CIFAR10_CLASSES, (3, 32, 32),
                               ('train', 'test'), _load_cifar10))
CIFAR100 = register(DatasetSpec('cifar100', 'cifar100', CIFAR100_CLASSES, (3, 32, 32),
                                ('train', 'test'), _load_cifar100))


def _to_chainer_dataset(images: numpy.ndarray, labels: numpy.ndarray, withlabel: bool, ndim: int,
                        scale: float, dtype: DTypeLike | None) -> TupleDataset | numpy.ndarray:
    import chainvision
    shapes = {1: (3072,), 3: (3, 32, 32)}
    if ndim not in shapes:
        raise ValueError('invalid ndim {} for CIFAR: use 1 or 3'.format(ndim))
    images = images.reshape((len(images),) + shapes[ndim]).astype(dtype or chainvision.config.dtype)
    images *= scale / 255.
    if not withlabel:
        return images
    return TupleDataset(images, numpy.asarray(labels).astype(numpy.int32))


def get_cifar10(withlabel: bool = True, ndim: int = 3, scale: float = 1.,
                dtype: DTypeLike | None = None) -> tuple[TupleDataset | numpy.ndarray, ...]:
    """Return CIFAR-10's ``(train, test)`` as in Chainer.

    Args:
        withlabel (bool): ``(image, label)`` :class:`TupleDataset` if ``True``
            (labels int32), else arrays of images.
        ndim (int): image shape: 3: ``(3, 32, 32)``, 1: ``(3072,)``.
        scale (float): pixels scaled to ``[0, scale]``.
        dtype: image dtype (default ``chainvision.config.dtype``, float32).

    Returns:
        ``(train, test)`` with 50,000 and 10,000 examples.
    """
    return tuple(_to_chainer_dataset(*CIFAR10.load_split(s), withlabel, ndim, scale, dtype)
                 for s in ('train', 'test'))


def get_cifar100(withlabel: bool = True, ndim: int = 3, scale: float = 1.,
                 dtype: DTypeLike | None = None) -> tuple[TupleDataset | numpy.ndarray, ...]:
    """Return CIFAR-100's ``(train, test)`` (fine labels); as
    :func:`get_cifar10`.  Needs ``<root>/cifar100/cifar-100-python/`` or the
    network."""
    return tuple(_to_chainer_dataset(*CIFAR100.load_split(s), withlabel, ndim, scale, dtype)
                 for s in ('train', 'test'))
