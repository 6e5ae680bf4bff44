"""AdaGrad."""

import torch

from chainvision import optimizer


class AdaGrad(optimizer.GradientMethod):
    """AdaGrad (Duchi et al., 2011)::

        h += grad * grad
        param -= lr * grad / (sqrt(h) + eps)

    Same as ``torch.optim.Adagrad(lr, eps=eps)``; Chainer's defaults differ
    from PyTorch's (``eps`` 1e-8, not 1e-10).

    Args:
        lr (float): learning rate (default 0.001).
        eps (float): added to the denominator (default 1e-8).

    State: ``h`` (the sum of squared gradients).
    """

    lr = optimizer.HyperparameterProxy('lr')
    eps = optimizer.HyperparameterProxy('eps')

    def __init__(self, lr=0.001, eps=1e-8):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.eps = eps

    def state_names(self, hp):
        """The sum of squared gradients ``h``."""
        return ('h',)

    def apply(self, hp, params, grads, states):
        """One AdaGrad step for all parameters at once."""
        accumulated = states['h']
        torch._foreach_addcmul_(accumulated, grads, grads)
        denominator = torch._foreach_sqrt(accumulated)
        torch._foreach_add_(denominator, hp['eps'])
        torch._foreach_addcdiv_(params, grads, denominator, value=-hp['lr'])
