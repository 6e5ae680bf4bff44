"""Chainer's probability-distribution API: ``Distribution``, ``register_kl``,
``kl_divergence`` and ``cross_entropy``.

A distribution holds its parameters as tensors; every statistic and density
it returns is a differentiable ``torch.Tensor``.  The concrete distributions
are in :mod:`chainvision.distributions`.
"""

import torch

from chainvision.backend import as_tensor

_KL_DIVERGENCE = {}


class Distribution:
    """Base class of the distributions (Chainer's ``chainer.Distribution``).

    A distribution of ``batch_shape`` independent variables, each of
    ``event_shape``: ``log_prob(x)`` takes ``x`` of shape
    ``batch_shape + event_shape`` (or broadcastable to it) and returns
    ``batch_shape``; ``sample(sample_shape)`` returns
    ``sample_shape + batch_shape + event_shape``.

    Subclasses define :meth:`sample_n` and whichever statistics apply:
    ``batch_shape``, ``event_shape``, ``mean``, ``variance``, ``stddev``,
    ``entropy``, ``mode``, ``covariance``, ``support`` and ``params``
    (properties, as in Chainer v7), and ``log_prob``, ``prob``, ``cdf``,
    ``log_cdf``, ``icdf``, ``survival_function``,
    ``log_survival_function``, ``perplexity`` (methods).  What a subclass
    does not define raises ``NotImplementedError``.
    """

    def _undefined(self, name):
        return NotImplementedError('{} does not define {}'.format(type(self).__name__, name))

    @property
    def batch_shape(self):
        """Shape of the batch of independent variables (a tuple)."""
        raise self._undefined('batch_shape')

    @property
    def event_shape(self):
        """Shape of one variable (a tuple; ``()`` for a scalar variable)."""
        raise self._undefined('event_shape')

    @property
    def covariance(self):
        """Covariance matrix of each variable."""
        raise self._undefined('covariance')

    @property
    def entropy(self):
        """Entropy, shape ``batch_shape``."""
        raise self._undefined('entropy')

    @property
    def mean(self):
        """Mean, shape ``batch_shape + event_shape``."""
        raise self._undefined('mean')

    @property
    def mode(self):
        """Mode, shape ``batch_shape + event_shape``."""
        raise self._undefined('mode')

    @property
    def params(self):
        """The parameters, a dict of tensors."""
        raise self._undefined('params')

    @property
    def stddev(self):
        """Standard deviation, shape ``batch_shape + event_shape``."""
        raise self._undefined('stddev')

    @property
    def support(self):
        """The support, as a string (``'real'``, ``'{0, 1}'``...)."""
        raise self._undefined('support')

    @property
    def variance(self):
        """Variance, shape ``batch_shape + event_shape``."""
        raise self._undefined('variance')

    @property
    def xp(self):
        """``numpy`` (Chainer's array module of the parameters)."""
        import numpy
        return numpy

    def cdf(self, x):
        """Cumulative distribution function at ``x``."""
        raise self._undefined('cdf')

    def icdf(self, x):
        """Inverse of the cumulative distribution function at ``x``."""
        raise self._undefined('icdf')

    def log_cdf(self, x):
        """Logarithm of :meth:`cdf`."""
        raise self._undefined('log_cdf')

    def log_prob(self, x):
        """Logarithm of the density (or mass) at ``x``, shape ``batch_shape``."""
        raise self._undefined('log_prob')

    def log_survival_function(self, x):
        """Logarithm of :meth:`survival_function`."""
        raise self._undefined('log_survival_function')

    def perplexity(self, x):
        """Perplexity at ``x``."""
        raise self._undefined('perplexity')

    def prob(self, x):
        """Density (or mass) at ``x``, shape ``batch_shape``."""
        raise self._undefined('prob')

    def survival_function(self, x):
        """``1 - cdf(x)``."""
        raise self._undefined('survival_function')

    def sample_n(self, n):
        """``n`` samples, shape ``(n,) + batch_shape + event_shape``."""
        raise self._undefined('sample_n')

    def sample(self, sample_shape=()):
        """Samples of shape ``sample_shape + batch_shape + event_shape``.

        Args:
            sample_shape (int or tuple of int): ``()`` (default) gives one
                sample without a leading axis, an int ``n`` gives ``n``.
        """
        if isinstance(sample_shape, int):
            sample_shape = (sample_shape,)
        n = 1
        for size in sample_shape:
            n *= size
        return self.sample_n(n).reshape(
            tuple(sample_shape) + tuple(self.batch_shape) + tuple(self.event_shape))


def parameter(value):
    """A distribution parameter as a tensor: tensors are kept (with their
    graph), arrays and scalars become tensors."""
    return as_tensor(value) if isinstance(value, torch.Tensor) else torch.as_tensor(value)


def value_like(x, param):
    """``x`` as a tensor on ``param``'s device, in ``param``'s dtype (data
    points of ``log_prob`` and the like may be int or NumPy arrays)."""
    return as_tensor(x, like=param).to(param.dtype)


def register_kl(Dist1, Dist2):
    """Decorator registering ``kl(dist1, dist2)`` as the KL divergence of a
    ``Dist1`` from a ``Dist2`` (exact types, as in Chainer)::

        @register_kl(Normal, Normal)
        def _kl_normal_normal(dist1, dist2):
            return ...
    """
    def register(kl):
        _KL_DIVERGENCE[Dist1, Dist2] = kl
        return kl
    return register


def kl_divergence(dist1, dist2):
    """Kullback-Leibler divergence ``KL(dist1 || dist2)``, shape
    ``batch_shape``.

    Raises:
        NotImplementedError: when no formula is registered for the two types
            (Chainer raises ``KeyError``).
    """
    kl = _KL_DIVERGENCE.get((type(dist1), type(dist2)))
    if kl is None:
        raise NotImplementedError('no KL divergence is registered for {} and {}'.format(
            type(dist1).__name__, type(dist2).__name__))
    return kl(dist1, dist2)


def cross_entropy(dist1, dist2):
    """Cross entropy ``H(dist1, dist2) = H(dist1) + KL(dist1 || dist2)``.

    Chainer 7.8.1's version calls ``dist1.entropy()`` and so raises
    ``TypeError`` (``entropy`` is a property); this one reads the property.
    """
    return dist1.entropy + kl_divergence(dist1, dist2)
