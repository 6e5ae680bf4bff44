"""Gaussian error linear unit (not part of Chainer v7)."""

import torch.nn.functional as torch_f

from chainvision.backend import as_tensor


def gelu(x, approximate='none'):
    """``x * Phi(x)`` with ``Phi`` the standard normal CDF.

    Chainer v7 has no GELU; chainvision adds it for models that need it.

    Args:
        x: array of any shape.
        approximate (str): ``'none'`` (default, the exact erf form) or
            ``'tanh'`` (the tanh approximation of Hendrycks & Gimpel).

    Returns:
        torch.Tensor of the shape and dtype of ``x``.
    """
    if approximate not in ('none', 'tanh'):
        raise ValueError("gelu: approximate must be 'none' or 'tanh', got {!r}.".format(
            approximate))
    return torch_f.gelu(as_tensor(x), approximate=approximate)
