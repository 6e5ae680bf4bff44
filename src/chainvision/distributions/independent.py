"""Reinterpreting batch axes of a distribution as event axes."""

from chainvision.distribution import Distribution, kl_divergence, register_kl


class Independent(Distribution):
    """The joint distribution of the last ``reinterpreted_batch_ndims``
    batch axes of ``distribution`` (Chainer's ``distributions.Independent``).

    For example ``Independent(Normal(mu, sigma))`` with ``mu`` of shape
    ``(N, D)`` is a batch of ``N`` diagonal Gaussians over ``D``-vectors:
    ``log_prob(x)`` sums the ``D`` log-densities and has shape ``(N,)``.

    Args:
        distribution (Distribution): the base distribution.
        reinterpreted_batch_ndims (int or None): how many trailing batch
            axes become event axes; ``None`` (default) moves all but the
            first.

    ``mean``, ``variance``, ``stddev``, ``params``, ``support``, ``mode``
    and ``sample_n`` are the base distribution's; densities multiply (their
    logarithms add) over the event axes.

    Raises:
        ValueError: when ``reinterpreted_batch_ndims`` exceeds the number of
            batch axes.
    """

    def __init__(self, distribution, reinterpreted_batch_ndims=None):
        batch_ndim = len(distribution.batch_shape)
        if reinterpreted_batch_ndims is None:
            reinterpreted_batch_ndims = max(0, batch_ndim - 1)
        elif reinterpreted_batch_ndims > batch_ndim:
            raise ValueError('reinterpreted_batch_ndims must be less than or equal to the number '
                             'of dimensions of `distribution.batch_shape`.')
        self.distribution = distribution
        self.reinterpreted_batch_ndims = reinterpreted_batch_ndims
        kept = batch_ndim - reinterpreted_batch_ndims
        self._batch_shape = tuple(distribution.batch_shape[:kept])
        self._event_shape = tuple(distribution.batch_shape[kept:]) + tuple(
            distribution.event_shape)

    def _reduce(self, reduce, stat):
        axes = tuple(range(-self.reinterpreted_batch_ndims, 0))
        return reduce(stat, axes) if axes else stat

    def _sum(self, stat):
        return self._reduce(lambda x, axes: x.sum(dim=axes), stat)

    def _prod(self, stat):
        return self._reduce(lambda x, axes: x.flatten(-len(axes)).prod(dim=-1), stat)

    @property
    def batch_shape(self):
        return self._batch_shape

    @property
    def event_shape(self):
        return self._event_shape

    @property
    def mean(self):
        return self.distribution.mean

    @property
    def mode(self):
        return self.distribution.mode

    @property
    def variance(self):
        return self.distribution.variance

    @property
    def stddev(self):
        return self.distribution.stddev

    @property
    def params(self):
        return self.distribution.params

    @property
    def support(self):
        return self.distribution.support

    @property
    def entropy(self):
        """Sum of the base entropies over the event axes."""
        return self._sum(self.distribution.entropy)

    def log_prob(self, x):
        return self._sum(self.distribution.log_prob(x))

    def log_cdf(self, x):
        return self._sum(self.distribution.log_cdf(x))

    def log_survival_function(self, x):
        return self._sum(self.distribution.log_survival_function(x))

    def prob(self, x):
        return self._prod(self.distribution.prob(x))

    def cdf(self, x):
        return self._prod(self.distribution.cdf(x))

    def survival_function(self, x):
        return self._prod(self.distribution.survival_function(x))

    def perplexity(self, x):
        return self._prod(self.distribution.perplexity(x))

    def icdf(self, x):
        """Raises ``RuntimeError``: a multivariate CDF has no inverse."""
        raise RuntimeError(
            'Cumulative distribution function for multivariate variable is not invertible.')

    def sample_n(self, n):
        return self.distribution.sample_n(n)


@register_kl(Independent, Independent)
def _kl_independent_independent(dist1, dist2):
    """The base distributions' KL divergence summed over the reinterpreted axes."""
    p, q = dist1.distribution, dist2.distribution
    if dist1.event_shape != dist2.event_shape:
        raise ValueError('Event shapes do not match.')
    if p.event_shape != q.event_shape:
        raise NotImplementedError(
            'KL between Independents with different event shapes not supported.')
    n_axes = len(dist1.event_shape) - len(p.event_shape)
    kl = kl_divergence(p, q)
    return kl.sum(dim=tuple(range(-n_axes, 0))) if n_axes else kl
