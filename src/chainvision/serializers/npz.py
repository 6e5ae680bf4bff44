"""Chainer's NPZ serialization: ``save_npz``, ``load_npz``,
``DictionarySerializer`` and ``NpzDeserializer``.

Keys follow Chainer's layout, so files move both ways between Chainer v7 and
chainvision: a link's parameters are ``<path>/W``, its persistent values
``<path>/avg_mean``; a trainer snapshot holds ``updater/model:main/...``,
``updater/optimizer:main/...``, ``updater/iterator:main/...`` and
``extensions/<name>/...``.

Loading never runs code from the file: arrays are read with
``allow_pickle=False``.  The only pickled entry accepted is Chainer's
encoding of ``None`` (an object array holding ``None``, written for an
uninitialized parameter), which is recognised by an unpickler that may only
rebuild a NumPy array; anything else pickled is refused.

Deliberate differences from Chainer: ``save_npz`` to a path writes
atomically (temporary file, fsync, rename); ``load_npz`` adds a missing
trailing ``/`` to ``path``; errors name the missing key, the keys the file
does have there, and shape mismatches; bfloat16 tensors are saved as
float32 (NPZ has no bfloat16).
"""

import io
import os
import pickle
import zipfile
import zlib

import numpy

from chainvision import serializer
from chainvision.serializers._arrays import restore, to_numpy
from chainvision.serializers.errors import UnreadableFileError
from chainvision.utils.atomic import atomic_write


def _child_path(path, key):
    """The prefix of ``serializer[key]``'s keys: ``'updater/'`` + ``'model:main'``
    -> ``'updater/model:main/'`` (slashes around ``key`` dropped, as Chainer)."""
    return path + key.strip('/') + '/'


def _full_key(path, key):
    """The npz key of ``serializer(key, value)``: ``'predictor/l1/'`` + ``'W'``."""
    return path + key.lstrip('/')


class DictionarySerializer(serializer.Serializer):
    """Serializer into a flat dictionary of NumPy arrays (keys are paths
    such as ``'predictor/l1/W'``), ready for ``numpy.savez``.

    Args:
        target (dict or None): the dictionary to fill (a new one if None).
        path (str): prefix of every key written by this serializer.
    """

    def __init__(self, target=None, path=''):
        self.target = {} if target is None else target
        self.path = path

    def __getitem__(self, key):
        return DictionarySerializer(self.target, _child_path(self.path, key))

    def __call__(self, key, value):
        self.target[_full_key(self.path, key)] = numpy.asarray(None) if value is None else to_numpy(value)
        return value


def serialize(obj):
    """Return the dictionary of arrays that :func:`save_npz` would write."""
    target = DictionarySerializer()
    target.save(obj)
    return target.target


def save_npz(file, obj, compression=True):
    """Save ``obj`` (a link, an optimizer, a trainer, anything with
    ``serialize``, or a ready dictionary of arrays) to an NPZ file.

    Args:
        file (str, os.PathLike or file object): where to write; a path is
            written atomically.
        obj: what to save.
        compression (bool): use ``numpy.savez_compressed`` (default).
    """
    arrays = obj if isinstance(obj, dict) else serialize(obj)
    write = numpy.savez_compressed if compression else numpy.savez
    if isinstance(file, (str, os.PathLike)):
        with atomic_write(file) as stream:
            write(stream, **arrays)
    else:
        write(file, **arrays)


class _NumpyArrayOnlyUnpickler(pickle.Unpickler):
    """Unpickles only a NumPy array: every other global is refused."""

    _ALLOWED = {
        ('numpy.core.multiarray', '_reconstruct'), ('numpy._core.multiarray', '_reconstruct'),
        ('numpy', 'ndarray'), ('numpy', 'dtype'),
    }

    def find_class(self, module, name):
        if (module, name) not in self._ALLOWED:
            raise pickle.UnpicklingError('refusing to load {}.{}'.format(module, name))
        return super().find_class(module, name)


class _DamagedEntry(ValueError):
    """An entry of the NPZ file cannot be read (:func:`load_npz` names the
    file)."""


def _read(npz, key):
    """The array of the entry ``key``; ``None`` for Chainer's encoding of
    ``None`` (an object array holding it), read by an unpickler that may
    only rebuild a NumPy array; any other pickled entry is refused.  A
    plain mapping (Chainer's ``NpzDeserializer`` takes a dict too) is read
    as it is."""
    if not hasattr(npz, 'zip'):
        return npz[key]
    try:
        with npz.zip.open(key + '.npy') as stream:
            version = numpy.lib.format.read_magic(stream)
            read_header = (numpy.lib.format.read_array_header_1_0 if version == (1, 0)
                           else numpy.lib.format.read_array_header_2_0)
            shape, _, dtype = read_header(stream)
            pickled = stream.read() if dtype == numpy.dtype(object) else None
        if pickled is None:
            return npz[key]
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as error:
        # A truncated or altered member: zipfile's CRC check, zlib, or
        # NumPy's header and size checks.
        raise _DamagedEntry('the entry {!r} is damaged ({}: {})'.format(
            key, type(error).__name__, error)) from error
    if shape == () and _is_pickled_none(pickled):
        return None
    raise ValueError('{!r} holds pickled Python objects; chainvision never unpickles '
                     '(allow_pickle=False), so this entry cannot be loaded.'.format(key))


def _is_pickled_none(data):
    try:
        array = _NumpyArrayOnlyUnpickler(io.BytesIO(data)).load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return False
    return isinstance(array, numpy.ndarray) and array.shape == () and array[()] is None


def _is_ignored(key, ignore_names):
    names = ignore_names if isinstance(ignore_names, (tuple, list)) else (ignore_names,)
    for name in names:
        if isinstance(name, str):
            if key == name:
                return True
        elif callable(name):
            if name(key):
                return True
        else:
            raise ValueError('ignore_names must be a string, a callable or a list of them, '
                             'got {!r}'.format(name))
    return False


def _missing_key_message(npz, key):
    parent = key.rsplit('/', 1)[0] + '/' if '/' in key else ''
    siblings = sorted(k for k in npz.files if k.startswith(parent))
    tops = sorted({k.split('/', 1)[0] for k in npz.files})
    shown = siblings[:10] if siblings else tops[:10]
    return ('{!r} is not in the NPZ file. Keys there {}: {}{}. Pass strict=False to skip missing '
            'entries, or path=... to load from inside a larger file (for a trainer snapshot, '
            "path='updater/model:main/').").format(
                key, 'under {!r}'.format(parent) if siblings else 'at the top level',
                ', '.join(shown), ', ...' if len(siblings or tops) > len(shown) else '')


class NpzDeserializer(serializer.Deserializer):
    """Deserializer from an open NPZ file (``numpy.load(...,
    allow_pickle=False)``).

    Args:
        npz (numpy.lib.npyio.NpzFile): the open file.
        path (str): prefix of every key read.
        strict (bool): raise ``KeyError`` for a missing key (default);
            ``False`` leaves the value unchanged instead.
        ignore_names (str, callable or list of them): full keys (or
            predicates on full keys) whose values are left unchanged.
    """

    def __init__(self, npz, path='', strict=True, ignore_names=None):
        self.npz = npz
        self.path = path
        self.strict = strict
        self.ignore_names = [] if ignore_names is None else ignore_names

    def __getitem__(self, key):
        return NpzDeserializer(self.npz, _child_path(self.path, key), strict=self.strict,
                               ignore_names=self.ignore_names)

    def __call__(self, key, value):
        key = _full_key(self.path, key)
        if key not in self.npz:
            if not self.strict:
                return value
            if not _is_ignored(key, self.ignore_names):
                raise KeyError(_missing_key_message(self.npz, key))
        if _is_ignored(key, self.ignore_names):
            return value
        return restore(key, _read(self.npz, key), value)


def load_npz(file, obj, path='', strict=True, ignore_names=None):
    """Load ``obj`` in place from an NPZ file written by :func:`save_npz` or
    by Chainer's ``save_npz``.

    Args:
        file (str, os.PathLike or file object): the file.
        obj: the link/optimizer/trainer (anything with ``serialize``, or a
            torch module) to fill.
        path (str): the part of the file to read, e.g.
            ``'updater/model:main/'`` to take a model out of a trainer
            snapshot (a missing trailing ``/`` is added).
        strict (bool): whether a value missing from the file is an error.
        ignore_names (str, callable or list of them): keys to skip.

    Raises:
        KeyError: a key is missing (strict); the message lists the keys the
            file has there.
        ValueError: an array's shape differs from the object's, or an entry
            is a pickled object.
        UnreadableFileError: (a ``ValueError``) the file is not an NPZ
            file, or is truncated or corrupt; the message names it.
    """
    if path and not path.endswith('/'):
        path += '/'
    name = os.fspath(file) if isinstance(file, (str, os.PathLike)) else getattr(
        file, 'name', 'the NPZ stream')
    try:
        npz = numpy.load(file, allow_pickle=False)
    except (zipfile.BadZipFile, EOFError, ValueError) as error:
        # NumPy takes a file that is neither a zip nor an .npy for a pickle.
        raise UnreadableFileError(name, 'is not an NPZ file, or is truncated') from error
    if not isinstance(npz, numpy.lib.npyio.NpzFile):
        raise UnreadableFileError(name, 'is a single .npy array, not an NPZ file')
    with npz:
        try:
            NpzDeserializer(npz, path=path, strict=strict, ignore_names=ignore_names).load(obj)
        except _DamagedEntry as error:
            raise UnreadableFileError(name, 'is truncated or corrupt: {}'.format(
                error)) from error
