"""Chainer's serialization protocol: ``Serializer`` and ``Deserializer``.

An object takes part by defining ``serialize(serializer)``, calling
``value = serializer(name, value)`` for each value and
``child.serialize(serializer[child_name])`` for each child.  Saving returns
``value`` unchanged; loading returns the stored value (tensors and arrays
passed in are filled in place).  Any ``torch.nn.Module`` without its own
``serialize`` is handled by :func:`chainvision.link.serialize_module`.
"""

import numpy

from chainvision.link import serialize_module


def as_numpy(value):
    """The NumPy array of a value a deserializer returned: a NumPy array, a
    tensor (detached, copied to the host) or a scalar (0-dim array)."""
    if hasattr(value, 'detach'):
        value = value.detach().cpu().numpy()
    return numpy.asarray(value)


class AbstractSerializer:
    """Common interface: ``serializer[name]`` gives the serializer of a child
    and ``serializer(name, value)`` saves or loads one value."""

    def __getitem__(self, key):
        raise NotImplementedError

    def __call__(self, key, value):
        raise NotImplementedError


def _serialize_object(obj, serializer):
    if hasattr(obj, 'serialize'):
        obj.serialize(serializer)
    else:
        serialize_module(obj, serializer)


class Serializer(AbstractSerializer):
    """Base class of serializers that save."""

    def save(self, obj):
        """Save ``obj`` (anything with ``serialize``, or a torch module)."""
        _serialize_object(obj, self)


class Deserializer(AbstractSerializer):
    """Base class of serializers that load."""

    def load(self, obj):
        """Load ``obj`` in place."""
        _serialize_object(obj, self)
