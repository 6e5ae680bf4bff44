"""Layer-wise adaptive rate scaling of the gradients (LARS, arXiv 1708.03888)."""

import torch


class GradientLARS:
    """Scale each parameter's gradient by its trust ratio (Chainer's
    ``GradientLARS``)::

        g <- (g + weight_decay * p) * rate
        rate = |p| / (eps + |g| + weight_decay * |p|)   if |p| > threshold
               1                                          otherwise

    where ``|.|`` is the L2 norm over the whole parameter and ``|g|`` is the
    norm before weight decay is added.

    Args:
        threshold (float): parameters with a smaller norm are not rescaled.
        weight_decay (float): L2 coefficient added to the gradient.
        eps (float): keeps the ratio finite for a zero gradient.

    Called per parameter as ``hook(rule, param)``; timing ``'pre'``.
    """

    name = 'GradientLARS'
    call_for_each_param = True
    timing = 'pre'

    def __init__(self, threshold=1e-2, weight_decay=0.0, eps=1e-9):
        self.threshold = threshold
        self.weight_decay = weight_decay
        self.eps = eps

    def __call__(self, rule, param):
        grad = param.grad
        if grad is None:
            return
        with torch.no_grad():
            p_norm = torch.linalg.vector_norm(param)
            g_norm = torch.linalg.vector_norm(grad)
            local_rate = p_norm / (self.eps + g_norm + self.weight_decay * p_norm)
            rate = torch.where(p_norm > self.threshold, local_rate, torch.ones_like(local_rate))
            grad.add_(param, alpha=self.weight_decay).mul_(rate)
