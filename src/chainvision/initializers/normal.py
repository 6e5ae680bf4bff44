"""Gaussian initializers with Chainer's scale conventions.

============== ===============================================
initializer    standard deviation
============== ===============================================
Normal         ``scale`` (default 0.05)
LeCunNormal    ``scale * sqrt(1 / fan_in)``
GlorotNormal   ``scale * sqrt(2 / (fan_in + fan_out))``
HeNormal       ``scale * sqrt(2 / fan)``, ``fan_option`` picks the fan
============== ===============================================
"""

import math

import torch

from chainvision.initializers._base import Initializer, fan_of, get_fans


class Normal(Initializer):
    """Draw from N(0, ``scale``^2)."""

    def __init__(self, scale=0.05, dtype=None):
        super().__init__(dtype)
        self.scale = scale

    def __call__(self, array):
        with torch.no_grad():
            array.normal_(0.0, self.scale)
        return array


class LeCunNormal(Initializer):
    """Draw from N(0, ``scale``^2 / fan_in) (LeCun et al. 1998); Chainer's
    default weight initializer."""

    def __init__(self, scale=1.0, dtype=None):
        super().__init__(dtype)
        self.scale = scale

    def __call__(self, array):
        fan_in, _ = get_fans(array.shape)
        return Normal(self.scale * math.sqrt(1.0 / fan_in))(array)


class GlorotNormal(Initializer):
    """Draw from N(0, 2 ``scale``^2 / (fan_in + fan_out)) (Glorot & Bengio 2010)."""

    def __init__(self, scale=1.0, dtype=None):
        super().__init__(dtype)
        self.scale = scale

    def __call__(self, array):
        fan_in, fan_out = get_fans(array.shape)
        return Normal(self.scale * math.sqrt(2.0 / (fan_in + fan_out)))(array)


class HeNormal(Initializer):
    """Draw from N(0, 2 ``scale``^2 / fan) (He et al. 2015); ``fan_option``
    is ``'fan_in'`` (default) or ``'fan_out'``."""

    def __init__(self, scale=1.0, dtype=None, fan_option='fan_in'):
        super().__init__(dtype)
        self.scale = scale
        self.fan_option = fan_option

    def __call__(self, array):
        fan = fan_of(array.shape, self.fan_option)
        return Normal(self.scale * math.sqrt(2.0 / fan))(array)
