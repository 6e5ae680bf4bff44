"""The inverse error function."""

import torch

from chainvision.backend import as_tensor


def erfinv(x):
    """The inverse of ``erf`` elementwise: ``erf(erfinv(x)) = x`` for ``x`` in ``(-1, 1)``;
    ``+-inf`` at ``+-1``, ``nan`` outside."""
    return torch.special.erfinv(as_tensor(x))
