"""The Bernoulli distribution."""

import functools

import torch
import torch.nn.functional as torch_F

from chainvision.distribution import Distribution, parameter, register_kl, value_like


class Bernoulli(Distribution):
    """Bernoulli distribution: ``1`` with probability ``p``, else ``0``
    (Chainer's ``distributions.Bernoulli``).

    Args:
        p: the probability of ``1``, any shape (the ``batch_shape``); or
        logit: ``log(p / (1 - p))`` (exactly one of the two).  Densities are
            computed from the logit, stably for large ``|logit|``.
        binary_check (bool): ``log_prob``/``prob`` of a value other than 0 or
            1 are ``-inf``/``0`` (without it, the formulas are applied to any
            value, which is what VAEs on grey levels use).

    ``sample`` draws int64 values (as Chainer's) from PyTorch's generator
    and is not differentiable.

    Raises:
        ValueError: when both or neither of ``p`` and ``logit`` are given.
    """

    def __init__(self, p=None, logit=None, binary_check=False):
        if (p is None) == (logit is None):
            raise ValueError('Either `p` or `logit` (not both) must have a value.')
        self._p = p
        self._logit = logit
        self.binary_check = binary_check

    @functools.cached_property
    def p(self):
        """The probability of ``1``."""
        if self._p is None:
            return torch.sigmoid(self.logit)
        return parameter(self._p)

    @functools.cached_property
    def logit(self):
        """``log(p / (1 - p))``."""
        if self._logit is None:
            return torch.log(self.p) - torch.log1p(-self.p)
        return parameter(self._logit)

    @property
    def batch_shape(self):
        return tuple(self.p.shape)

    @property
    def event_shape(self):
        return ()

    @property
    def mean(self):
        return self.p

    @functools.cached_property
    def variance(self):
        return self.p * (1 - self.p)

    @property
    def stddev(self):
        return self.variance ** 0.5

    @property
    def entropy(self):
        """``-p log p - (1 - p) log(1 - p)``, 0 at ``p`` = 0 or 1."""
        p = self.p
        return -torch.special.xlogy(p, p) - torch.special.xlogy(1 - p, 1 - p)

    @property
    def params(self):
        return {'logit': self.logit}

    @property
    def support(self):
        return '{0, 1}'

    def _is_binary(self, x):
        return (x == 0) | (x == 1)

    def log_prob(self, x):
        """``x log p + (1 - x) log(1 - p)``, written as
        ``logit (x - 1) - softplus(-logit)``; an infinite logit gives
        ``log x`` or ``log(1 - x)``."""
        logit = self.logit
        x = value_like(x, logit)
        y = logit * (x - 1) - torch_F.softplus(-logit)
        y = torch.where(logit == float('inf'), torch.log(x), y)
        y = torch.where(logit == -float('inf'), torch.log(1 - x), y)
        if self.binary_check:
            y = torch.where(self._is_binary(x), y, torch.full_like(y, -float('inf')))
        return y

    def prob(self, x):
        """``x p + (1 - x)(1 - p)``."""
        x = value_like(x, self.p)
        prob = x * self.p + (1 - x) * (1 - self.p)
        if self.binary_check:
            prob = prob * self._is_binary(x)
        return prob

    def sample_n(self, n):
        with torch.no_grad():
            p = self.p.expand((n,) + self.batch_shape)
            return torch.bernoulli(p).to(torch.int64)


@register_kl(Bernoulli, Bernoulli)
def _kl_bernoulli_bernoulli(dist1, dist2):
    return ((dist1.logit - dist2.logit) * (dist1.p - 1)
            - torch_F.softplus(-dist1.logit) + torch_F.softplus(-dist2.logit))
