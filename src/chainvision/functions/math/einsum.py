"""Einstein summation."""

import torch

from chainvision.backend import as_tensors


def einsum(subscripts, *operands):
    """``numpy.einsum(subscripts, *operands)``, differentiable, e.g.
    ``einsum('ij,jk->ik', a, b)`` is ``a @ b``."""
    return torch.einsum(subscripts, *as_tensors(*operands))
