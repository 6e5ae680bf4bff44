"""Recomputing a function in backward instead of storing its graph."""

import torch.utils.checkpoint

from chainvision.backend import as_tensors


def forget(func, *xs):
    """``func(*xs)`` without keeping its intermediate results: backward runs
    ``func`` again to get them (``torch.utils.checkpoint``), trading compute
    for memory.

    Args:
        func (callable): takes the ``xs`` and returns a tensor or a tuple
            of tensors; it must compute the same thing when called again
            (dropout is replayed with the same random state).
        xs: its inputs.
    """
    return torch.utils.checkpoint.checkpoint(func, *as_tensors(*xs), use_reentrant=False)
