"""L2 normalization of vectors."""

import torch

from chainvision.backend import as_tensor


def normalize(x, eps=1e-5, axis=1):
    """``x / (||x||_2 + eps)`` with the norm taken along ``axis`` (an int or
    a tuple; default 1).  As in Chainer, ``eps`` is added to the norm, not
    under the square root."""
    x = as_tensor(x)
    return x / (torch.linalg.vector_norm(x, dim=axis, keepdim=True) + eps)
