"""Muon: orthogonalised momentum for convolution filters (not part of Chainer v7)."""

import torch

from chainvision import optimizer
from chainvision.optimizers.nesterov_sgdw import NesterovSGDW

# The quintic's coefficients, chosen (by K. Jordan) to maximise the slope at
# zero: a few steps push every singular value into about [0.5, 1.5]
# rather than converging to exactly 1, which trains as well.
_QUINTIC = (3.4445, -4.7750, 2.0315)


def newton_schulz_orthogonalize(matrix, steps=5, eps=1e-7):
    """Approximately ``U V^T`` of ``matrix = U S V^T`` (its nearest
    semi-orthogonal matrix) by ``steps`` quintic Newton-Schulz iterations
    ``X <- a X + (b A + c A^2) X`` with ``A = X X^T``, after scaling ``X``
    to Frobenius norm 1 (so every singular value is at most 1).

    The singular vectors are those of ``matrix``; the singular values land
    in about [0.5, 1.5] rather than at 1 (see ``_QUINTIC``).

    Args:
        matrix (torch.Tensor): ``(m, n)``.
        steps (int): iterations (airbench uses 3 on CIFAR-10's filters).
        eps (float): guards the normalisation of a zero matrix.

    Returns:
        torch.Tensor: float32 ``(m, n)``.
    """
    a, b, c = _QUINTIC
    x = matrix.float()
    x = x / (x.norm() + eps)
    # Iterate on the wide orientation: X X^T is then the smaller product.
    tall = x.shape[0] > x.shape[1]
    if tall:
        x = x.T
    for _ in range(steps):
        gram = x @ x.T
        x = a * x + (b * gram + c * gram @ gram) @ x
    return x.T if tall else x


class Muon(NesterovSGDW):
    """Muon (K. Jordan et al. 2024, kellerjordan.github.io/posts/muon; the
    optimizer of airbench94_muon) for 4-D parameters (convolution filters),
    :class:`NesterovSGDW` for every other parameter::

        v = momentum * v + grad
        u = grad + momentum * v                          (Nesterov)
        W *= sqrt(out_channels) / ||W||                  (fixed norm)
        W -= eta * lr * orthogonalize(u reshaped to (out_channels, -1))

    The update of a filter bank is the (approximate) orthogonalisation of
    its momentum (:func:`newton_schulz_orthogonalize`): every direction of
    the update gets the same size, so rare directions are not drowned by the
    dominant ones.  Normalising the filters before each step stands in for
    weight decay (BatchNorm follows every convolution, so their scale is
    free); ``weight_decay_rate`` applies to the other parameters only.
    As in airbench94_muon, the filters usually get their own ``lr`` and
    ``momentum`` (``W.update_rule.hyperparam``).

    Args:
        lr, momentum, eta, weight_decay_rate: as :class:`NesterovSGDW`
            (defaults 0.02, 0.95, 1, 0: Muon's usual values).
        ns_steps (int): Newton-Schulz iterations (default 5).

    State: ``v`` (the momentum buffer).
    """

    ns_steps = optimizer.HyperparameterProxy('ns_steps')

    def __init__(self, lr=0.02, momentum=0.95, eta=1.0, weight_decay_rate=0., ns_steps=5):
        super().__init__(lr, momentum, eta, weight_decay_rate)
        self.hyperparam.ns_steps = ns_steps

    def apply(self, hp, params, grads, states):
        """Muon's step for the filters, NesterovSGDW's for the rest."""
        filters = [i for i, p in enumerate(params) if p.ndim == 4]
        others = [i for i in range(len(params)) if params[i].ndim != 4]
        if others:
            super().apply(hp, [params[i] for i in others], [grads[i] for i in others],
                          {'v': [states['v'][i] for i in others]})
        momentum, step = hp['momentum'], -hp['eta'] * hp['lr']
        for i in filters:
            param, grad, velocity = params[i], grads[i], states['v'][i]
            velocity.mul_(momentum).add_(grad)
            update = grad.add(velocity, alpha=momentum).reshape(len(param), -1)
            param.mul_(len(param) ** 0.5 / param.norm())
            orthogonal = newton_schulz_orthogonalize(update, hp['ns_steps'])
            param.add_(orthogonal.reshape(param.shape).to(param.dtype), alpha=step)
