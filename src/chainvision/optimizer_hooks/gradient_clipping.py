"""Rescale all gradients when their global L2 norm exceeds a threshold."""

import torch


class GradientClipping:
    """Scale every gradient by ``threshold / norm`` when ``norm``, the L2 norm
    of all gradients of the target together, exceeds ``threshold``
    (Chainer's ``GradientClipping``; ``torch.nn.utils.clip_grad_norm_`` adds
    1e-6 to the norm, Chainer and this hook do not).

    Args:
        threshold (float): the largest allowed norm.

    Called once per update as ``hook(optimizer)``; timing ``'pre'``.
    """

    name = 'GradientClipping'
    timing = 'pre'

    def __init__(self, threshold):
        self.threshold = threshold

    def __call__(self, opt):
        grads = [p.grad for p in opt.target.parameters() if p.grad is not None]
        if not grads:
            return
        norm = torch.linalg.vector_norm(torch.stack(torch._foreach_norm(grads)))
        # On the device, without reading the norm back (a synchronisation):
        # a rate of 1 leaves the gradients bitwise as they are, and float64
        # gives the rate Chainer's host arithmetic gives.
        rate = torch.clamp(self.threshold / norm.double(), max=1.)
        torch._foreach_mul_(grads, rate)
