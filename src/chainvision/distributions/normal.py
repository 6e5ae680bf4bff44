"""The normal (Gaussian) distribution."""

import functools
import math

import torch

from chainvision.distribution import Distribution, parameter, register_kl, value_like

_LOG_SQRT_2PI = 0.5 * math.log(2 * math.pi)


class Normal(Distribution):
    """Normal distribution ``N(loc, scale^2)`` of independent scalars
    (Chainer's ``distributions.Normal``).

    Args:
        loc: mean, any shape (the ``batch_shape``); a tensor keeps its graph.
        scale: standard deviation, same shape; or, keyword only,
        log_scale: its logarithm (exactly one of the two).

    ``sample`` is reparameterized (``loc + scale * eps``), so gradients flow
    to ``loc`` and ``scale``; ``eps`` comes from PyTorch's generator
    (Chainer uses NumPy's), so seed with ``torch.manual_seed``.

    Raises:
        ValueError: when both or neither of ``scale`` and ``log_scale`` are given.
    """

    def __init__(self, loc, scale=None, *, log_scale=None):
        if (scale is None) == (log_scale is None):
            raise ValueError('Either `scale` or `log_scale` (not both) must have a value.')
        self._loc = loc
        self._scale = scale
        self._log_scale = log_scale

    @functools.cached_property
    def loc(self):
        """The mean."""
        return parameter(self._loc)

    @functools.cached_property
    def scale(self):
        """The standard deviation."""
        if self._scale is None:
            return torch.exp(self.log_scale)
        return parameter(self._scale)

    @functools.cached_property
    def log_scale(self):
        """The logarithm of the standard deviation."""
        if self._log_scale is None:
            return torch.log(self.scale)
        return parameter(self._log_scale)

    @property
    def batch_shape(self):
        return tuple(self.loc.shape)

    @property
    def event_shape(self):
        return ()

    @property
    def mean(self):
        return self.loc

    @property
    def stddev(self):
        return self.scale

    @functools.cached_property
    def variance(self):
        return self.scale ** 2

    @property
    def entropy(self):
        """``log(scale) + log(2 pi e) / 2``."""
        return self.log_scale + (_LOG_SQRT_2PI + 0.5)

    @property
    def params(self):
        return {'loc': self.loc, 'scale': self.scale}

    @property
    def support(self):
        return 'real'

    def _standardize(self, x):
        return (value_like(x, self.loc) - self.loc) / self.scale

    def log_prob(self, x):
        """``-log(2 pi)/2 - log(scale) - (x - loc)^2 / (2 scale^2)``."""
        x = value_like(x, self.loc)
        return -_LOG_SQRT_2PI - self.log_scale - 0.5 * (x - self.loc) ** 2 / self.variance

    def prob(self, x):
        return torch.exp(self.log_prob(x))

    def cdf(self, x):
        return torch.special.ndtr(self._standardize(x))

    def log_cdf(self, x):
        return torch.special.log_ndtr(self._standardize(x))

    def survival_function(self, x):
        return torch.special.ndtr(-self._standardize(x))

    def log_survival_function(self, x):
        return torch.special.log_ndtr(-self._standardize(x))

    def icdf(self, x):
        return self.loc + self.scale * torch.special.ndtri(value_like(x, self.loc))

    def sample_n(self, n):
        eps = torch.randn((n,) + self.batch_shape, dtype=self.loc.dtype, device=self.loc.device)
        return self.loc + self.scale * eps


@register_kl(Normal, Normal)
def _kl_normal_normal(dist1, dist2):
    return (dist2.log_scale - dist1.log_scale
            + 0.5 * (dist1.variance + (dist1.loc - dist2.loc) ** 2) / dist2.variance - 0.5)
