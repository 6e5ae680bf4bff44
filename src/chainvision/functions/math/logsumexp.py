"""Log of the sum of exponentials."""

import torch

from chainvision.backend import as_tensor
from chainvision.functions.math._axes import reduction_dims


def logsumexp(x, axis=None):
    """``log(sum(exp(x), axis))``, computed stably; ``axis`` is ``None``
    (all axes), an int or a tuple."""
    x = as_tensor(x)
    return torch.logsumexp(x, dim=reduction_dims(x, axis))
