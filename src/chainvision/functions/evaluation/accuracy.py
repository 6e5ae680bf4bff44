"""Classification accuracy."""

import torch

from chainvision.backend import as_tensors


def accuracy(y, t, ignore_label=None):
    """Fraction of examples whose argmax over axis 1 of ``y`` equals ``t``.

    Args:
        y: scores of shape ``(N, C)`` or ``(N, C, d_1, ...)``.
        t: int labels of shape ``(N,)`` or ``(N, d_1, ...)``.
        ignore_label (int or None): labels to leave out of the count; if
            every label is ignored the accuracy is 0.

    Returns:
        torch.Tensor: a float scalar, never differentiable.
    """
    y, t = as_tensors(y, t)
    if y.ndim < 2 or t.shape != y.shape[:1] + y.shape[2:]:
        raise ValueError('accuracy expects y of shape (N, C, ...) and t of shape (N, ...); '
                         'got y {} and t {}.'.format(tuple(y.shape), tuple(t.shape)))
    with torch.no_grad():
        correct = y.argmax(dim=1) == t
        dtype = y.dtype if y.is_floating_point() else torch.float32
        if ignore_label is None:
            return correct.to(dtype).mean()
        valid = t != ignore_label
        count = valid.sum()
        if count == 0:
            return torch.zeros((), dtype=dtype, device=y.device)
        return (correct & valid).sum().to(dtype) / count
