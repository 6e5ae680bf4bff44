"""Value conversions shared by the NPZ and HDF5 serializers."""

import numpy
import torch


def to_numpy(value):
    """The NumPy array saved for a tensor, array or scalar (bfloat16 tensors
    become float32: neither NPZ nor HDF5 has bfloat16)."""
    if isinstance(value, torch.Tensor):
        value = value.detach()
        if value.dtype == torch.bfloat16:
            value = value.float()
        return value.cpu().numpy()
    return numpy.asarray(value)


def restore(key, array, value):
    """What a deserializer returns for the stored ``array`` (``None`` for a
    stored ``None``) when the object holds ``value``.

    A tensor or NumPy ``value`` is filled in place (shapes must match) and
    returned; ``None`` gives the array itself; a Python scalar gives a
    scalar of the same type.

    Raises:
        ValueError: the shapes differ.
        TypeError: a float array would be loaded into an int, or the like.
    """
    if array is None or value is None:
        return array
    if isinstance(value, (torch.Tensor, numpy.ndarray)):
        if tuple(array.shape) != tuple(value.shape):
            raise ValueError('{!r}: the file has shape {}, the object expects {}.'.format(
                key, tuple(array.shape), tuple(value.shape)))
        if isinstance(value, torch.Tensor):
            with torch.no_grad():
                value.copy_(torch.from_numpy(numpy.ascontiguousarray(array)))
        else:
            numpy.copyto(value, array)
        return value
    value_type = type(value)
    is_number = issubclass(array.dtype.type, numpy.number)
    int_into_int = issubclass(array.dtype.type, numpy.integer) and value_type is int
    if is_number and not int_into_int and not numpy.can_cast(array.dtype, value_type, 'safe'):
        raise TypeError('{!r}: cannot safely load an array of dtype {} into a {}.'.format(
            key, array.dtype, value_type.__name__))
    return value_type(array)
