"""A dict-based serializer pair following Chainer's protocol: ``s(key,
value)`` stores (saving) or returns the stored value (loading);
``s[name]`` is the child serializer for a sub-object."""

import numpy
import pytest


class DictSerializer:
    def __init__(self, target=None, path=''):
        self.target = {} if target is None else target
        self.path = path

    def __getitem__(self, name):
        return type(self)(self.target, self.path + name + '/')

    def __call__(self, key, value):
        self.target[self.path + key] = numpy.array(value) if value is not None else None
        return value


class DictDeserializer(DictSerializer):
    def __call__(self, key, value):
        stored = self.target[self.path + key]
        if isinstance(value, numpy.ndarray) and value.shape == stored.shape:
            numpy.copyto(value, stored)  # Chainer's deserializers fill arrays in place
            return value
        return stored.item() if stored.ndim == 0 else stored.copy()


@pytest.fixture
def save_and_restore():
    """``save_and_restore(source, target)``: serialize source into a dict and
    load that dict into target; returns the dict."""
    def run(source, target):
        state = {}
        source.serialize(DictSerializer(state))
        target.serialize(DictDeserializer(state))
        return state
    return run
