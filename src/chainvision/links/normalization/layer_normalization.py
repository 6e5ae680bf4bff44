"""The layer normalization link."""

from chainvision import functions
from chainvision.links.normalization._affine import AffineNormalizationBase


class LayerNormalization(AffineNormalizationBase):
    """Layer normalization (Ba et al. 2016) of batch vectors: normalize each
    row, then scale by ``gamma`` and shift by ``beta``.

    Args:
        size (int or None): the vector size; ``None`` infers it from the
            first input.
        eps (float): added to the (biased) variance (default ``1e-6``, as in
            Chainer; PyTorch's ``LayerNorm`` uses ``1e-5``).
        initial_gamma, initial_beta: initializers of ``gamma`` (default 1)
            and ``beta`` (default 0), both of shape ``(size,)``.

    Input ``(N, size)``, as Chainer requires; output of the same shape.
    """

    def __init__(self, size=None, eps=1e-6, initial_gamma=None, initial_beta=None):
        super().__init__(size, eps, initial_gamma, initial_beta)

    def _check_input(self, x):
        if x.ndim != 2:
            raise ValueError('LayerNormalization expects a batch of vectors (N, size), got shape '
                             '{}; reshape the input first.'.format(tuple(x.shape)))

    def forward(self, x):
        """Normalize each row of ``x`` ``(N, size)``."""
        x = self._prepare(x)
        return functions.layer_normalization(x, self.gamma, self.beta, self.eps)

    def extra_repr(self):
        return 'eps={}'.format(self.eps)
