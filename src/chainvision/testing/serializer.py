"""Round trips through a serializer: :func:`save_and_load` and its NPZ/HDF5 forms."""

import os
import tempfile

from chainvision import serializers


def save_and_load(src, dst, filename, saver, loader):
    """Save ``src`` with ``saver(path, src)`` and load the file into ``dst``
    with ``loader(path, dst)``, in a temporary folder removed afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, filename)
        saver(path, src)
        loader(path, dst)


def save_and_load_npz(src, dst):
    """:func:`save_and_load` through ``serializers.save_npz``/``load_npz``."""
    save_and_load(src, dst, 'tmp.npz', serializers.save_npz, serializers.load_npz)


def save_and_load_hdf5(src, dst):
    """:func:`save_and_load` through ``serializers.save_hdf5``/``load_hdf5`` (needs h5py)."""
    save_and_load(src, dst, 'tmp.h5', serializers.save_hdf5, serializers.load_hdf5)
