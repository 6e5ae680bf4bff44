"""The group normalization link."""

from chainvision import functions
from chainvision.links.normalization._affine import AffineNormalizationBase


class GroupNormalization(AffineNormalizationBase):
    """Group normalization (Wu & He 2018): normalize each example over groups
    of channels, then scale by ``gamma`` and shift by ``beta`` per channel.

    Args:
        groups (int): number of channel groups; must divide the channels.
        size (int or None): channels ``C``; ``None`` infers them from the
            first input.
        eps (float): added to the (biased) variance (default ``1e-5``).
        initial_gamma, initial_beta: initializers of ``gamma`` (default 1)
            and ``beta`` (default 0), both of shape ``(C,)``.

    Input ``(N, C, ...)``; output of the same shape.  Behaves the same in
    training and inference.
    """

    def __init__(self, groups, size=None, eps=1e-5, initial_gamma=None, initial_beta=None):
        super().__init__(size, eps, initial_gamma, initial_beta)
        self.groups = groups

    def _check_input(self, x):
        if x.ndim < 2 or x.shape[1] % self.groups:
            raise ValueError('GroupNormalization expects (N, C, ...) with C divisible by groups '
                             '({}); got shape {}.'.format(self.groups, tuple(x.shape)))

    def forward(self, x):
        """Normalize ``x`` ``(N, C, ...)``."""
        x = self._prepare(x)
        return functions.group_normalization(x, self.groups, self.gamma, self.beta, self.eps)

    def extra_repr(self):
        return 'groups={}, eps={}'.format(self.groups, self.eps)
