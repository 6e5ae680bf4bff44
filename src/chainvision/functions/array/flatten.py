"""Flattening an array into one axis."""

from chainvision.backend import as_tensor


def flatten(x):
    """Return ``x`` as a 1-D array of ``x.size`` elements (Chainer's
    ``flatten`` keeps no batch axis, unlike ``torch.nn.Flatten``)."""
    return as_tensor(x).reshape(-1)
