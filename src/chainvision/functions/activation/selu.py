"""Scaled exponential linear unit."""

import torch.nn.functional as torch_f

from chainvision.backend import as_tensor


def selu(x, alpha=1.6732632423543772, scale=1.0507009873554805):
    """``scale * elu(x, alpha)`` elementwise, with the self-normalizing
    constants of Klambauer et al. (2017) as defaults."""
    return scale * torch_f.elu(as_tensor(x), alpha)
