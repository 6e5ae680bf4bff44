"""RMSprop."""

import torch

from chainvision import optimizer


class RMSprop(optimizer.GradientMethod):
    """RMSprop (Hinton's lecture 6e)::

        ms = alpha * ms + (1 - alpha) * grad * grad
        param -= lr * grad / (sqrt(ms) + eps)        # eps_inside_sqrt=False
        param -= lr * grad / sqrt(ms + eps)          # eps_inside_sqrt=True

    With ``eps_inside_sqrt=False`` this is ``torch.optim.RMSprop``; note
    Chainer's defaults (``lr`` 0.01, ``eps`` 1e-8).

    Args:
        lr (float): learning rate (default 0.01).
        alpha (float): decay of the moving average (default 0.99).
        eps (float): for numerical stability (default 1e-8).
        eps_inside_sqrt (bool): where ``eps`` is added (default ``False``).

    State: ``ms`` (the moving average of squared gradients).
    """

    lr = optimizer.HyperparameterProxy('lr')
    alpha = optimizer.HyperparameterProxy('alpha')
    eps = optimizer.HyperparameterProxy('eps')
    eps_inside_sqrt = optimizer.HyperparameterProxy('eps_inside_sqrt')

    def __init__(self, lr=0.01, alpha=0.99, eps=1e-8, eps_inside_sqrt=False):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.alpha = alpha
        self.hyperparam.eps = eps
        self.hyperparam.eps_inside_sqrt = eps_inside_sqrt

    def state_names(self, hp):
        """The mean square ``ms``."""
        return ('ms',)

    def apply(self, hp, params, grads, states):
        """One RMSprop step for all parameters at once."""
        mean_square = states['ms']
        torch._foreach_mul_(mean_square, hp['alpha'])
        torch._foreach_addcmul_(mean_square, grads, grads, value=1 - hp['alpha'])
        if hp['eps_inside_sqrt']:
            denominator = torch._foreach_add(mean_square, hp['eps'])
            torch._foreach_sqrt_(denominator)
        else:
            denominator = torch._foreach_sqrt(mean_square)
            torch._foreach_add_(denominator, hp['eps'])
        torch._foreach_addcdiv_(params, grads, denominator, value=-hp['lr'])
