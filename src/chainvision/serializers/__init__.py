"""Saving and loading in Chainer's NPZ format (``save_npz``/``load_npz``)."""

from chainvision.serializers.npz import (  # noqa: F401
    DictionarySerializer, NpzDeserializer, load_npz, save_npz, serialize)
