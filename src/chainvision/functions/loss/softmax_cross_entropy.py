"""Softmax cross entropy, with Chainer's normalization and ignore rules."""

import torch

from chainvision.backend import as_tensors


def softmax_cross_entropy(x, t, normalize=True, cache_score=True, class_weight=None,
                          ignore_label=-1, reduce='mean', enable_double_backprop=False,
                          soft_target_loss='cross-entropy'):
    """Cross entropy of ``softmax(x)`` against integer labels ``t``.

    Args:
        x: logits of shape ``(N, C)`` or ``(N, C, d_1, ..., d_k)``.
        t: int labels of shape ``(N,)`` or ``(N, d_1, ..., d_k)``; entries
            equal to ``ignore_label`` contribute nothing.
        normalize (bool): with ``reduce='mean'``, divide the summed loss by
            the number of non-ignored labels (True) or by ``N`` (False).
        class_weight: array of shape ``(C,)`` that scales each example's
            loss by the weight of its label.  As in Chainer (and unlike
            PyTorch) the mean still divides by the *count*, not the sum of
            weights.
        ignore_label (int): label to ignore (default ``-1``).
        reduce (str): ``'mean'`` gives a scalar; ``'no'`` gives the per-element
            loss of ``t``'s shape, 0 where ignored.
        cache_score, enable_double_backprop, soft_target_loss: accepted for
            compatibility (autograd always allows double backprop).

    Returns:
        torch.Tensor: a scalar, or an array of ``t``'s shape.
    """
    if reduce not in ('mean', 'no'):
        raise ValueError("reduce must be 'mean' or 'no', got {!r}.".format(reduce))
    x, t, class_weight = as_tensors(x, t, class_weight)
    if x.ndim < 2 or t.shape != x.shape[:1] + x.shape[2:]:
        raise ValueError(
            'softmax_cross_entropy expects x of shape (N, C, ...) and t of shape (N, ...); '
            'got x {} and t {}.'.format(tuple(x.shape), tuple(t.shape)))
    t = t.long()
    valid = t != ignore_label
    safe_t = torch.where(valid, t, torch.zeros_like(t))
    log_p = torch.log_softmax(x, dim=1)
    loss = -log_p.gather(1, safe_t.unsqueeze(1)).squeeze(1)
    if class_weight is not None:
        loss = loss * class_weight.to(loss.dtype)[safe_t]
    loss = torch.where(valid, loss, torch.zeros_like(loss))
    if reduce == 'no':
        return loss
    count = valid.sum().clamp(min=1) if normalize else max(x.shape[0], 1)
    return loss.sum() / count
