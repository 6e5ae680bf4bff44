"""Saving and loading in Chainer's formats: NPZ (``save_npz``/``load_npz``)
and HDF5 (``save_hdf5``/``load_hdf5``, with h5py installed); PyTorch files
read safely (``load_torch_file``); ``UnreadableFileError`` for a file that
cannot be read."""

from chainvision.serializers.hdf5 import (  # noqa: F401
    HDF5Deserializer, HDF5Serializer, load_hdf5, save_hdf5)
from chainvision.serializers.errors import UnreadableFileError  # noqa: F401
from chainvision.serializers.npz import (  # noqa: F401
    DictionarySerializer, NpzDeserializer, load_npz, save_npz, serialize)
from chainvision.serializers.torch_file import load_torch_file  # noqa: F401
