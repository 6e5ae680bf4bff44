"""The decoded-array cache: one split of a named dataset as ``.npy`` files
that are memory-mapped, checked before they are trusted.

Beside ``<split>-images.npy`` and ``<split>-labels.npy`` the cache keeps
``<split>-arrays.json``, written when the cache is made: the checksums of
the originals the arrays were decoded from, and each file's size and
sha256.  Every load compares the sizes and a hash of the file (all of a
file up to :data:`FULL_HASH_BYTES`, else :data:`SAMPLES` blocks spread
over it: milliseconds even for CIFAR-10's 150 MB); ``verify=True`` hashes whole
files.  A cache that fails, was made from other originals, or has no
record is rebuilt from the originals, with a warning that says why.
"""

import hashlib
import json
import os
import warnings

import numpy

from chainvision.datasets._files import arrays_cache_folder, file_digest
from chainvision.utils.atomic import atomic_write

CACHE_FORMAT = 'chainvision-array-cache-1'
# Files up to this size are hashed whole on every load (sha256 runs at
# about 1.5 GB/s here: 10 ms; every labels file, MNIST's test images).
FULL_HASH_BYTES = 16 << 20
# Larger files: this many blocks of BLOCK_BYTES, evenly spaced from the
# first byte to the last.
SAMPLES = 64
BLOCK_BYTES = 64 << 10
PARTS = ('images', 'labels')


def cached_arrays(folder, split, build, sources, verify=False):
    """Return ``(images, labels)`` of one split, memory-mapped from the
    cache in :func:`~chainvision.datasets._files.arrays_cache_folder`;
    ``build()`` decodes them from the originals when the cache is missing
    or fails its check, and the files are written atomically.

    Args:
        folder (str): the dataset's folder, e.g. ``'mnist'``.
        split (str): ``'train'`` or ``'test'``.
        build (callable): ``build() -> (images, labels)`` from the originals.
        sources (dict): the originals' names and official checksums (what
            ``build`` verifies them against), recorded with the cache.
        verify (bool): hash every cache file whole, not only sampled blocks.

    Returns:
        ``(images, labels)``: read-only ``numpy.memmap`` arrays.
    """
    cache = arrays_cache_folder(folder)
    paths = {part: os.path.join(cache, '{}-{}.npy'.format(split, part)) for part in PARTS}
    record = os.path.join(cache, '{}-arrays.json'.format(split))
    problem = _problem(record, paths, sources, verify)
    if problem is not None:
        if problem:
            warnings.warn('rebuilding the cached arrays of {} {} from the originals: {}'.format(
                folder, split, problem))
        _write(record, paths, build(), sources)
    return tuple(numpy.load(paths[part], mmap_mode='r', allow_pickle=False) for part in PARTS)


def _problem(record, paths, sources, verify):
    """``None`` when the cache may be used, ``''`` when there is none yet,
    else why it may not (a sentence naming the file)."""
    present = [os.path.isfile(path) for path in paths.values()]
    if not any(present) and not os.path.isfile(record):
        return ''
    try:
        with open(record) as f:
            manifest = json.load(f)
    except (OSError, ValueError):
        return '{} is missing or unreadable'.format(record)
    if manifest.get('format') != CACHE_FORMAT or manifest.get('sources') != sources:
        return '{} was made from other original files'.format(record)
    for path in paths.values():
        expected = manifest['files'].get(os.path.basename(path), {})
        if not os.path.isfile(path):
            return '{} is missing'.format(path)
        size = os.path.getsize(path)
        if size != expected.get('size'):
            return '{} has {} bytes, {} when it was made'.format(path, size, expected.get('size'))
        key = 'sha256' if verify else 'quick_sha256'
        if _digests(path, quick_only=not verify)[key] != expected.get(key):
            return '{} changed since it was made (its {} differs)'.format(path, key)
    return None


def _write(record, paths, arrays, sources):
    files = {}
    for part, array in zip(PARTS, arrays):
        with atomic_write(paths[part]) as f:
            numpy.save(f, numpy.ascontiguousarray(array))
        files[os.path.basename(paths[part])] = dict(_digests(paths[part]),
                                                    size=os.path.getsize(paths[part]))
    with atomic_write(record, 'w') as f:
        json.dump({'format': CACHE_FORMAT, 'sources': sources, 'files': files}, f, indent=1,
                  sort_keys=True)


def _digests(path, quick_only=False):
    """``{'quick_sha256': ..., 'sha256': ...}`` of a file (only the quick
    one with ``quick_only``); the quick digest is the full one for files up
    to :data:`FULL_HASH_BYTES`."""
    size = os.path.getsize(path)
    if size <= FULL_HASH_BYTES:
        full = file_digest(path, 'sha256')
        return {'quick_sha256': full, 'sha256': full}
    quick = hashlib.sha256()
    with open(path, 'rb') as f:
        for index in range(SAMPLES):
            f.seek((size - BLOCK_BYTES) * index // (SAMPLES - 1))
            quick.update(f.read(BLOCK_BYTES))
    digests = {'quick_sha256': quick.hexdigest()}
    if not quick_only:
        digests['sha256'] = file_digest(path, 'sha256')
    return digests
