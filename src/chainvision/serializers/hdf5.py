"""Chainer's HDF5 serialization: ``save_hdf5``, ``load_hdf5``,
``HDF5Serializer`` and ``HDF5Deserializer``.

The layout is Chainer's: each child link (or trainer part) is an HDF5 group
and each value a dataset in it (``/predictor/l1/W``), gzip-compressed when it
has more than one element; ``None`` (an uninitialized parameter) is an empty
dataset.  Files move both ways between Chainer and chainvision.  Needs
``h5py`` (``pip install chainvision[hdf5]``); without it every name here
raises ``RuntimeError`` saying so, as in Chainer.

Deliberate differences from Chainer: ``save_hdf5`` writes atomically
(temporary file, fsync, rename); the ``KeyError`` for a missing dataset
names it and its group.
"""

import numpy

from chainvision import serializer
from chainvision.serializers._arrays import restore, to_numpy
from chainvision.utils.atomic import atomic_write

try:
    import h5py
except ImportError:
    h5py = None


def _check_available():
    if h5py is None:
        raise RuntimeError('h5py is not installed: install it to use the HDF5 serializers '
                           '(pip install h5py, or pip install chainvision[hdf5]).')


def _dataset(value, compression):
    """``(data, compression)`` for ``create_dataset``."""
    if value is None:
        return h5py.Empty('f'), None
    array = to_numpy(value)
    return array, (compression if array.size > 1 else None)


class HDF5Serializer(serializer.Serializer):
    """Serializer into an HDF5 group: children are sub-groups, values are
    datasets.

    Args:
        group (h5py.Group): the group to write into (an open ``h5py.File``
            for the root).
        compression (int): gzip level of datasets with more than one element.
    """

    def __init__(self, group, compression=4):
        _check_available()
        self.group = group
        self.compression = compression

    def __getitem__(self, key):
        return HDF5Serializer(self.group.require_group(key), self.compression)

    def __call__(self, key, value):
        data, compression = _dataset(value, self.compression)
        self.group.create_dataset(key, data=data, compression=compression)
        return value


def save_hdf5(filename, obj, compression=4):
    """Save ``obj`` (a link, an optimizer, a trainer... or a dictionary of
    arrays keyed by paths) to an HDF5 file, written atomically.

    Args:
        filename (str or os.PathLike): the file.
        obj: what to save.
        compression (int): gzip level of datasets with more than one element.
    """
    _check_available()
    with atomic_write(filename, mode='w+b') as stream, h5py.File(stream, 'w') as f:
        if isinstance(obj, dict):
            for key, value in obj.items():
                data, level = _dataset(value, compression)
                f.create_dataset('/' + key.lstrip('/'), data=data, compression=level)
        else:
            HDF5Serializer(f, compression=compression).save(obj)


class HDF5Deserializer(serializer.Deserializer):
    """Deserializer from an HDF5 group written by :class:`HDF5Serializer`
    (or by Chainer's).

    Args:
        group (h5py.Group or None): the group to read from.
        strict (bool): a missing group or dataset is an error (default);
            ``False`` leaves the value unchanged.
    """

    def __init__(self, group, strict=True):
        _check_available()
        self.group = group
        self.strict = strict

    def __getitem__(self, key):
        child = self.group.get(key) if self.group is not None else None
        return HDF5Deserializer(child if isinstance(child, h5py.Group) else None, self.strict)

    def __call__(self, key, value):
        if self.group is None or key not in self.group:
            if not self.strict:
                return value
            if self.group is None:
                raise ValueError('Inexistent group is specified (pass strict=False to skip '
                                 'missing entries)')
            raise KeyError('the HDF5 file has no dataset {!r} in group {!r} (pass strict=False '
                           'to skip missing entries)'.format(key, self.group.name))
        dataset = self.group[key]
        array = None if dataset.shape is None else numpy.asarray(dataset)
        return restore('{}/{}'.format(self.group.name, key), array, value)


def load_hdf5(filename, obj):
    """Load ``obj`` in place from an HDF5 file written by :func:`save_hdf5`
    or by Chainer's ``save_hdf5``.

    Raises:
        KeyError: a value of ``obj`` is missing from the file.
        ValueError: an array's shape differs from the object's.
    """
    _check_available()
    with h5py.File(filename, 'r') as f:
        HDF5Deserializer(f).load(obj)
