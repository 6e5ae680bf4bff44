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

import torch

from chainvision.initializers._base import FanScaled, GlorotScaled, HeScaled, Initializer


class Normal(Initializer):
    """Draw from N(0, ``scale``^2)."""

    def __init__(self, scale=0.05, dtype=None):
        super().__init__(dtype)
        self.scale = scale

    def __call__(self, array):
        with torch.no_grad():
            array.normal_(0.0, self.scale)
        return array


class LeCunNormal(FanScaled):
    """Draw from N(0, ``scale``^2 / fan_in) (LeCun et al. 1998); Chainer's
    default weight initializer."""

    distribution, gain = Normal, 1.0


class GlorotNormal(GlorotScaled):
    """Draw from N(0, 2 ``scale``^2 / (fan_in + fan_out)) (Glorot & Bengio 2010)."""

    distribution, gain = Normal, 2.0


class HeNormal(HeScaled):
    """Draw from N(0, 2 ``scale``^2 / fan) (He et al. 2015); ``fan_option``
    is ``'fan_in'`` (default) or ``'fan_out'``."""

    distribution, gain = Normal, 2.0
