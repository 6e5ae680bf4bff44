"""The inverse of the standard normal cumulative distribution function."""

import torch

from chainvision.backend import as_tensor


def ndtri(x):
    """The ``z`` with ``ndtr(z) = x``, elementwise, for ``x`` in ``(0, 1)``."""
    return torch.special.ndtri(as_tensor(x))
