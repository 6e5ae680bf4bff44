"""Softmax cross entropy, with Chainer's normalization and ignore rules."""

import torch

from chainvision.backend import as_tensors
from chainvision.configuration import is_debug

# Chainer's guard against log(0) in the KL divergence of soft targets.
_KL_EPS = 1e-7


def _soft_target_loss(log_p, t, soft_target_loss, reduce):
    if soft_target_loss == 'kl-divergence':
        loss = (t * (torch.log(t + _KL_EPS) - log_p)).sum(dim=1)
    else:
        loss = -(t * log_p).sum(dim=1)
    return loss if reduce == 'no' else loss.mean()


def softmax_cross_entropy(x, t, normalize=True, cache_score=True, class_weight=None,
                          ignore_label=-1, reduce='mean', enable_double_backprop=False,
                          soft_target_loss='cross-entropy'):
    """Cross entropy of ``softmax(x)`` against integer labels ``t`` (or soft
    targets).

    Args:
        x: logits of shape ``(N, C)`` or ``(N, C, d_1, ..., d_k)``.
        t: int labels of shape ``(N,)`` or ``(N, d_1, ..., d_k)``; entries
            equal to ``ignore_label`` contribute nothing.  Or, as in Chainer
            v7, float soft targets of ``x``'s shape (probabilities along
            axis 1); then ``normalize``, ``class_weight`` and
            ``ignore_label`` do not apply and the mean is over
            ``N * d_1 * ... * d_k``.
        normalize (bool): with ``reduce='mean'``, divide the summed loss by
            the number of non-ignored labels (True) or by ``N`` (False).
        class_weight: array of shape ``(C,)`` that scales each example's
            loss by the weight of its label.  As in Chainer (and unlike
            PyTorch) the mean still divides by the *count*, not the sum of
            weights.
        ignore_label (int): label to ignore (default ``-1``).
        reduce (str): ``'mean'`` gives a scalar; ``'no'`` gives the per-element
            loss of ``t``'s shape, 0 where ignored.
        soft_target_loss (str): for soft targets, ``'cross-entropy'``
            (``-sum t log p``) or ``'kl-divergence'``
            (``sum t (log(t + 1e-7) - log p)``).
        cache_score, enable_double_backprop: accepted for compatibility
            (autograd always allows double backprop).

    Raises:
        ValueError: for mismatched shapes, a ``class_weight`` that is not a
            1-d float array, or (in debug mode, ``chainvision.set_debug``) a
            label outside ``[0, C)`` other than ``ignore_label``.

    Returns:
        torch.Tensor: a scalar, or an array of ``t``'s shape (without axis 1
        for soft targets).
    """
    if reduce not in ('mean', 'no'):
        raise ValueError("reduce must be 'mean' or 'no', got {!r}.".format(reduce))
    if soft_target_loss not in ('cross-entropy', 'kl-divergence'):
        raise ValueError("soft_target_loss must be 'cross-entropy' or 'kl-divergence', got "
                         '{!r}.'.format(soft_target_loss))
    x, t, class_weight = as_tensors(x, t, class_weight)
    if class_weight is not None and (class_weight.ndim != 1
                                     or not class_weight.is_floating_point()):
        raise ValueError('class_weight must be a 1-d float array, got shape {} and dtype '
                         '{}.'.format(tuple(class_weight.shape), class_weight.dtype))
    log_p = torch.log_softmax(x, dim=1) if x.ndim >= 2 else None
    if t.is_floating_point() and t.shape == x.shape:
        return _soft_target_loss(log_p, t.to(x.dtype), soft_target_loss, reduce)
    if x.ndim < 2 or t.shape != x.shape[:1] + x.shape[2:]:
        raise ValueError(
            'softmax_cross_entropy expects x of shape (N, C, ...) and t of shape (N, ...) '
            '(int labels) or of the shape of x (float soft targets); got x {} and t {}.'.format(
                tuple(x.shape), tuple(t.shape)))
    t = t.long()
    valid = t != ignore_label
    if is_debug() and ((t[valid] < 0) | (t[valid] >= x.shape[1])).any():
        raise ValueError('softmax_cross_entropy: labels must lie in [0, {}) or equal '
                         'ignore_label ({}); got {}.'.format(x.shape[1], ignore_label,
                                                             t[valid].unique().tolist()))
    safe_t = torch.where(valid, t, torch.zeros_like(t))
    loss = -log_p.gather(1, safe_t.unsqueeze(1)).squeeze(1)
    if class_weight is not None:
        loss = loss * class_weight.to(loss.dtype)[safe_t]
    loss = torch.where(valid, loss, torch.zeros_like(loss))
    if reduce == 'no':
        return loss
    count = valid.sum().clamp(min=1) if normalize else max(x.shape[0], 1)
    # Sum float16 losses in float32, as Chainer does: 300000 of them overflow float16.
    total = loss.sum(dtype=torch.promote_types(loss.dtype, torch.float32))
    return (total / count).to(loss.dtype)
