"""AdaDelta (Zeiler 2012, arXiv 1212.5701)."""

import torch

from chainvision import optimizer


class AdaDelta(optimizer.GradientMethod):
    """AdaDelta: a step size from the ratio of two running averages, no
    learning rate::

        msg = rho * msg + (1 - rho) * grad ** 2
        dx = sqrt((msdx + eps) / (msg + eps)) * grad
        msdx = rho * msdx + (1 - rho) * dx ** 2
        param -= dx

    (``torch.optim.Adadelta`` with ``lr=1``.)

    Args:
        rho (float): decay of the running averages (default 0.95).
        eps (float): for numerical stability (default 1e-6).

    State: ``msg`` and ``msdx`` (the running averages of squared gradients
    and squared updates).
    """

    rho = optimizer.HyperparameterProxy('rho')
    eps = optimizer.HyperparameterProxy('eps')

    def __init__(self, rho=0.95, eps=1e-6):
        super().__init__()
        self.hyperparam.rho = rho
        self.hyperparam.eps = eps

    def state_names(self, hp):
        """The running averages ``msg`` and ``msdx``."""
        return ('msg', 'msdx')

    def apply(self, hp, params, grads, states):
        """One AdaDelta step for all parameters at once."""
        msg, msdx = states['msg'], states['msdx']
        rho, eps = hp['rho'], hp['eps']
        torch._foreach_mul_(msg, rho)
        torch._foreach_addcmul_(msg, grads, grads, value=1 - rho)
        step = torch._foreach_div(torch._foreach_add(msdx, eps), torch._foreach_add(msg, eps))
        torch._foreach_sqrt_(step)
        torch._foreach_mul_(step, grads)
        torch._foreach_mul_(msdx, rho)
        torch._foreach_addcmul_(msdx, step, step, value=1 - rho)
        torch._foreach_sub_(params, step)
