"""Where datasets live and how their files are fetched (Chainer's
``chainer.dataset.download``).

The root is the one set by :func:`set_dataset_root`, else
``$CHAINVISION_DATASET_ROOT``, else ``~/.cache/chainvision/datasets``.
"""

import hashlib
import os
import shutil
import sys
import tempfile
import urllib.request

DEFAULT_DATASET_ROOT = os.path.join('~', '.cache', 'chainvision', 'datasets')

_root_override = None


def set_dataset_root(path):
    """Use ``path`` as the dataset root from now on, in this process
    (over ``$CHAINVISION_DATASET_ROOT``)."""
    global _root_override
    _root_override = path


def get_dataset_root():
    """Return the absolute dataset root (the folder need not exist yet)."""
    root = _root_override or os.environ.get('CHAINVISION_DATASET_ROOT') or DEFAULT_DATASET_ROOT
    return os.path.abspath(os.path.expanduser(root))


def get_dataset_directory(dataset_name, create_directory=True):
    """``<root>/<dataset_name>``, created unless ``create_directory=False``
    (e.g. ``'pfnet/chainer/mnist'``, as Chainer's datasets name theirs)."""
    path = os.path.join(get_dataset_root(), dataset_name)
    if create_directory:
        os.makedirs(path, exist_ok=True)
    return path


def cached_download(url):
    """Download ``url`` once into ``<root>/_dl_cache/<md5 of url>`` and return
    that path; later calls return the cached file without downloading.

    Raises:
        urllib.error.URLError: the download failed (nothing is cached then).
    """
    cache_root = os.path.join(get_dataset_root(), '_dl_cache')
    os.makedirs(cache_root, exist_ok=True)
    cache_path = os.path.join(cache_root, hashlib.md5(url.encode('utf-8')).hexdigest())
    if os.path.exists(cache_path):
        return cache_path
    with tempfile.TemporaryDirectory(dir=cache_root) as temp_root:
        temp_path = os.path.join(temp_root, 'dl')
        print('Downloading from {}...'.format(url), file=sys.stderr, flush=True)
        urllib.request.urlretrieve(url, temp_path)
        # Atomic: processes downloading at once each rename a complete file.
        os.replace(temp_path, cache_path)
    return cache_path


def cache_or_load_file(path, creator, loader):
    """``loader(path)`` if ``path`` exists; otherwise ``creator(temp_path)``
    writes the file at a temporary path, which is then moved to ``path``,
    and the creator's return value is returned.  Safe when several processes
    do it at once."""
    if os.path.exists(path):
        return loader(path)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as temp_dir:
        temp_path = os.path.join(temp_dir, os.path.basename(path))
        content = creator(temp_path)
        if not os.path.exists(path):
            os.replace(temp_path, path)
    return content
