"""Where chainvision keeps what it can compute again: decoded dataset
arrays, downloads into a read-only dataset root, the model zoo's counts."""

import os

DEFAULT_CACHE_DIR = os.path.join('~', '.cache', 'chainvision')


def get_cache_dir():
    """``$CHAINVISION_CACHE_DIR`` or ``~/.cache/chainvision``, absolute (the
    folder need not exist yet)."""
    path = os.environ.get('CHAINVISION_CACHE_DIR') or DEFAULT_CACHE_DIR
    return os.path.abspath(os.path.expanduser(path))
