"""The zoo's parameter and MAC counts, kept on disk between runs.

Counting builds a model on the meta device and traces one forward pass:
about a second for most models, 15 s for ResNet-1202 on a busy 2-core CPU,
so ``chainvision models`` would take half a minute.  The counts of the
models defined in this package are therefore saved in
``<cache dir>/model_counts.json`` under a key made of the package version
and the size and modification time of every source file a model can
depend on (all but the packages above ``models`` in the layering, which a
model never imports): any edit there (or another version) starts a fresh
file, so the numbers are always those of the code that runs, never a
hand-kept copy.  Models registered from outside the package are counted on
each run.
"""

import functools
import hashlib
import json
import os

import chainvision
from chainvision.utils.atomic import atomic_write
from chainvision.utils.cache_dir import get_cache_dir

FILE_NAME = 'model_counts.json'
# Sub-packages that build on the models, or beside them, and so cannot
# change a count (tests/test_layering.py keeps models from importing them).
NOT_BELOW_MODELS = ('app', 'cli', 'dataset', 'datasets', 'iterators', 'optimizer_hooks',
                    'optimizers', 'testing', 'training')


@functools.lru_cache(maxsize=None)
def source_key():
    """The version and a digest of the paths, sizes and modification times
    of the ``.py`` files a model may depend on (a few milliseconds)."""
    package = os.path.dirname(os.path.abspath(chainvision.__file__))
    digest = hashlib.sha256()
    for folder, folders, files in os.walk(package):
        folders[:] = sorted(name for name in folders
                            if folder != package or name not in NOT_BELOW_MODELS)
        for name in sorted(f for f in files if f.endswith('.py')):
            stat = os.stat(os.path.join(folder, name))
            digest.update('{}/{} {} {}\n'.format(os.path.relpath(folder, package), name,
                                                 stat.st_size, stat.st_mtime_ns).encode())
    return '{} {}'.format(chainvision.__version__, digest.hexdigest())


def cached_counts(name, builder, count):
    """``count()`` (a JSON-able value) for the model ``name``, read from the
    cache file when ``builder`` is one of this package's and the file was
    written by the same sources, else computed (and then saved)."""
    if not builder.__module__.startswith(chainvision.__name__ + '.'):
        return count()
    path = os.path.join(get_cache_dir(), FILE_NAME)
    counts = _read(path)
    if name not in counts:
        counts[name] = count()
        _write(path, counts)
    return counts[name]


def _read(path):
    try:
        with open(path) as f:
            saved = json.load(f)
    except (OSError, ValueError):
        return {}
    return saved.get('counts', {}) if saved.get('key') == source_key() else {}


def _write(path, counts):
    try:
        with atomic_write(path, 'w') as f:
            json.dump({'key': source_key(), 'counts': counts}, f, indent=1, sort_keys=True)
    except OSError:
        pass  # a read-only cache folder: count again next time
