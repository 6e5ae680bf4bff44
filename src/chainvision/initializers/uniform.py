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

import torch

from chainvision.initializers._base import FanScaled, GlorotScaled, HeScaled, Initializer


class Uniform(Initializer):
    """Draw from U(-``scale``, ``scale``)."""

    def __init__(self, scale=0.05, dtype=None):
        super().__init__(dtype)
        self.scale = scale

    def __call__(self, array):
        with torch.no_grad():
            array.uniform_(-self.scale, self.scale)
        return array


class LeCunUniform(FanScaled):
    """Draw from U(-s, s), ``s = scale * sqrt(3 / fan_in)``."""

    distribution, gain = Uniform, 3.0


class GlorotUniform(GlorotScaled):
    """Draw from U(-s, s), ``s = scale * sqrt(6 / (fan_in + fan_out))``."""

    distribution, gain = Uniform, 6.0


class HeUniform(HeScaled):
    """Draw from U(-s, s), ``s = scale * sqrt(6 / fan)``; ``fan_option``
    is ``'fan_in'`` (default) or ``'fan_out'``."""

    distribution, gain = Uniform, 6.0
