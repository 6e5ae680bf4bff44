"""Dropout regularization."""

import torch
import torch.nn.functional as torch_f

from chainvision.backend import as_tensors
from chainvision.configuration import config


def dropout(x, ratio=.5, *, mask=None, return_mask=False):
    """Zero each element with probability ``ratio`` and scale the others by
    ``1 / (1 - ratio)``, only while ``chainvision.config.train`` is True.

    Args:
        x: array of any shape.
        ratio (float): drop probability, ``0 <= ratio < 1`` (default ``.5``).
        mask: an already-scaled mask (values ``0`` or ``1 / (1 - ratio)``) of
            the shape of ``x`` to use instead of a random one.
        return_mask (bool): also return the mask used (``None`` in
            inference, as in Chainer).

    Returns:
        torch.Tensor of the shape of ``x`` (and the mask).  In inference
        ``x`` itself is returned, unchanged.
    """
    if not 0.0 <= ratio < 1.0:
        raise ValueError('dropout ratio must be in [0, 1), got {}.'.format(ratio))
    x, mask = as_tensors(x, mask)
    if not config.train:
        return (x, None) if return_mask else x
    if mask is None and not return_mask:
        return torch_f.dropout(x, ratio, True)
    if mask is None:
        keep = torch.rand(x.shape, device=x.device) >= ratio
        mask = keep.to(x.dtype) / (1.0 - ratio)
    elif mask.shape != x.shape:
        raise ValueError('dropout: mask of shape {} does not match x of shape {}.'.format(
            tuple(mask.shape), tuple(x.shape)))
    y = x * mask
    return (y, mask) if return_mask else y
