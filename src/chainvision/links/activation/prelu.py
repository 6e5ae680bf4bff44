"""The parametric rectifier link."""

from chainvision.functions.activation.prelu import prelu
from chainvision.link import Link, Parameter


class PReLU(Link):
    """``x`` where ``x >= 0``, ``W * x`` elsewhere, with learned slopes ``W``
    (He et al. 2015, arXiv 1502.01852).

    Args:
        shape (tuple): shape of ``W``; ``()`` (default) is one slope for
            everything, ``(C,)`` one per channel (matched with axis 1 of the
            input, see :func:`~chainvision.functions.prelu`).
        init: initial slope or initializer (default 0.25).
    """

    def __init__(self, shape=(), init=0.25):
        super().__init__()
        with self.init_scope():
            self.W = Parameter(init, shape)

    def forward(self, x):
        """Apply to ``x`` ``(N, C, ...)``; same shape out."""
        return prelu(x, self.W)
