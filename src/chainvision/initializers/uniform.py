"""Uniform initializers with Chainer's scale conventions: each draws from
U(-s, s) with

============== ===============================================
initializer    bound ``s``
============== ===============================================
Uniform        ``scale`` (default 0.05)
LeCunUniform   ``scale * sqrt(3 / fan_in)``
GlorotUniform  ``scale * sqrt(6 / (fan_in + fan_out))``
HeUniform      ``scale * sqrt(6 / fan)``, ``fan_option`` picks the fan
============== ===============================================
"""

import math

import torch

from chainvision.initializers._base import Initializer, fan_of, get_fans


class Uniform(Initializer):
    """Draw from U(-``scale``, ``scale``)."""

    def __init__(self, scale=0.05, dtype=None):
        super().__init__(dtype)
        self.scale = scale

    def __call__(self, array):
        with torch.no_grad():
            array.uniform_(-self.scale, self.scale)
        return array


class LeCunUniform(Initializer):
    """Draw from U(-s, s), ``s = scale * sqrt(3 / fan_in)``."""

    def __init__(self, scale=1.0, dtype=None):
        super().__init__(dtype)
        self.scale = scale

    def __call__(self, array):
        fan_in, _ = get_fans(array.shape)
        return Uniform(self.scale * math.sqrt(3.0 / fan_in))(array)


class GlorotUniform(Initializer):
    """Draw from U(-s, s), ``s = scale * sqrt(6 / (fan_in + fan_out))``."""

    def __init__(self, scale=1.0, dtype=None):
        super().__init__(dtype)
        self.scale = scale

    def __call__(self, array):
        fan_in, fan_out = get_fans(array.shape)
        return Uniform(self.scale * math.sqrt(6.0 / (fan_in + fan_out)))(array)


class HeUniform(Initializer):
    """Draw from U(-s, s), ``s = scale * sqrt(6 / fan)``."""

    def __init__(self, scale=1.0, dtype=None, fan_option='fan_in'):
        super().__init__(dtype)
        self.scale = scale
        self.fan_option = fan_option

    def __call__(self, array):
        fan = fan_of(array.shape, self.fan_option)
        return Uniform(self.scale * math.sqrt(6.0 / fan))(array)
