"""The maxout link (Goodfellow et al. 2013, arXiv 1302.4389)."""

import numpy

from chainvision.functions.activation.maxout import maxout
from chainvision.link import Chain
from chainvision.links.connection.linear import Linear


def _flatten_array(value, ndim, shape, what):
    # Chainer takes Maxout's arrays in (out_size, pool_size, ...) form.
    if not hasattr(value, 'ndim') or numpy.isscalar(value):
        return value
    if value.ndim != ndim:
        raise ValueError('{}.ndim should be {}'.format(what, ndim))
    return value.reshape(shape)


class Maxout(Chain):
    """A linear layer to ``out_size * pool_size`` units followed by the
    maximum over each group of ``pool_size``: ``(N, in_size)`` ->
    ``(N, out_size)``.

    Args:
        in_size (int or None): input size (``None``: inferred).
        out_size (int): output size.
        pool_size (int): units per maximum.
        initialW: initializer, scalar or array of shape
            ``(out_size, pool_size, in_size)`` (Chainer's layout).
        initial_bias: initializer, scalar or array of shape
            ``(out_size, pool_size)``; ``None`` for no bias (default 0).

    The parameters live in ``linear`` (``/linear/W`` of shape
    ``(out_size * pool_size, in_size)``, as in Chainer).
    """

    def __init__(self, in_size, out_size, pool_size, initialW=None, initial_bias=0):
        super().__init__()
        units = out_size * pool_size
        initialW = _flatten_array(initialW, 3, (units, -1), 'initialW')
        bias = _flatten_array(initial_bias, 2, (units,), 'initial_bias')
        self.out_size = out_size
        self.pool_size = pool_size
        with self.init_scope():
            self.linear = Linear(in_size, units, nobias=initial_bias is None, initialW=initialW,
                                 initial_bias=bias)

    def forward(self, x):
        """Apply to ``x`` ``(N, in_size)`` (further axes are flattened)."""
        return maxout(self.linear(x), self.pool_size)
