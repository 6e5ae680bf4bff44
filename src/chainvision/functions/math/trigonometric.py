"""Trigonometric functions and their inverses, elementwise."""

import torch

from chainvision.backend import as_tensor, as_tensors


def sin(x):
    """``sin(x)`` elementwise (radians)."""
    return torch.sin(as_tensor(x))


def cos(x):
    """``cos(x)`` elementwise (radians)."""
    return torch.cos(as_tensor(x))


def tan(x):
    """``tan(x)`` elementwise (radians)."""
    return torch.tan(as_tensor(x))


def arcsin(x):
    """Inverse sine elementwise, in ``[-pi/2, pi/2]`` (``nan`` outside ``[-1, 1]``)."""
    return torch.asin(as_tensor(x))


def arccos(x):
    """Inverse cosine elementwise, in ``[0, pi]`` (``nan`` outside ``[-1, 1]``)."""
    return torch.acos(as_tensor(x))


def arctan(x):
    """Inverse tangent elementwise, in ``(-pi/2, pi/2)``."""
    return torch.atan(as_tensor(x))


def arctan2(x1, x2):
    """The angle of the point ``(x2, x1)`` elementwise, in ``(-pi, pi]``
    (``arctan(x1 / x2)`` with the quadrant of the signs); broadcasts."""
    return torch.atan2(*as_tensors(x1, x2))
