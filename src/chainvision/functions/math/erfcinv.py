"""The inverse complementary error function."""

import torch

from chainvision.backend import as_tensor


def erfcinv(x):
    """The inverse of ``erfc`` elementwise, ``erfinv(1 - x)``, for ``x`` in
    ``(0, 2)``; ``+inf`` at 0, ``-inf`` at 2, ``nan`` outside."""
    return torch.special.erfinv(1 - as_tensor(x))
