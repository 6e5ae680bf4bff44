"""Where datasets live (Chainer's ``chainer.dataset.download``):
``$CHAINVISION_DATASET_ROOT``, default ``~/.cache/chainvision/datasets``."""

import os

DEFAULT_DATASET_ROOT = os.path.join('~', '.cache', 'chainvision', 'datasets')


def get_dataset_root():
    """Return the absolute dataset root (the folder need not exist yet)."""
    root = os.environ.get('CHAINVISION_DATASET_ROOT') or DEFAULT_DATASET_ROOT
    return os.path.abspath(os.path.expanduser(root))
