"""The concatenated rectifier (Shang et al. 2016, arXiv 1603.05201)."""

import torch

from chainvision.backend import as_tensor


def crelu(x, axis=1):
    """``concat(relu(x), relu(-x))`` along ``axis``: the axis doubles."""
    x = as_tensor(x)
    return torch.cat((torch.relu(x), torch.relu(-x)), dim=axis)
