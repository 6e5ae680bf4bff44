"""Constant initializers: :class:`Constant`, :class:`Zero`, :class:`One`,
:class:`NaN` and :class:`Identity`."""

import torch

from chainvision.initializers._base import Initializer


class Constant(Initializer):
    """Fill with ``fill_value``: a scalar, or an array broadcastable to (in
    practice: of) the parameter's shape."""

    def __init__(self, fill_value, dtype=None):
        super().__init__(dtype)
        self.fill_value = fill_value

    def __call__(self, array):
        value = torch.as_tensor(self.fill_value, dtype=array.dtype)
        if value.ndim and tuple(value.shape) != tuple(array.shape):
            raise ValueError(
                'The initial value has shape {} but the parameter has shape {}.'.format(
                    tuple(value.shape), tuple(array.shape)))
        with torch.no_grad():
            array.copy_(value.expand_as(array))
        return array


class Zero(Constant):
    """Fill with zeros."""

    def __init__(self, dtype=None):
        super().__init__(0.0, dtype)


class One(Constant):
    """Fill with ones."""

    def __init__(self, dtype=None):
        super().__init__(1.0, dtype)


class NaN(Constant):
    """Fill with NaN (marks values that must be overwritten)."""

    def __init__(self, dtype=None):
        super().__init__(float('nan'), dtype)


class Identity(Initializer):
    """Fill a square matrix with ``scale`` times the identity."""

    def __init__(self, scale=1.0, dtype=None):
        super().__init__(dtype)
        self.scale = scale

    def __call__(self, array):
        if array.ndim != 2 or array.shape[0] != array.shape[1]:
            raise ValueError(
                'Identity needs a square matrix, got shape {}.'.format(tuple(array.shape)))
        with torch.no_grad():
            array.copy_(torch.eye(array.shape[0], dtype=array.dtype) * self.scale)
        return array
