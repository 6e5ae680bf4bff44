"""Add annealed Gaussian noise to every gradient (arXiv 1511.06807)."""

import numpy
import torch


def exponential_decay_noise(xp, shape, dtype, hook, rule):
    """Gaussian noise of variance ``hook.eta / (1 + rule.t) ** 0.55``
    (Neelakantan et al. 2015), drawn with ``xp.random`` (NumPy's global
    generator here).  Returns an array of ``shape`` and ``dtype``."""
    std = numpy.sqrt(hook.eta / numpy.power(1 + rule.t, 0.55))
    return xp.random.normal(0, std, shape).astype(dtype)


def _numpy_dtype(torch_dtype):
    if torch_dtype == torch.bfloat16:  # NumPy has no bfloat16: draw in float32
        return numpy.dtype(numpy.float32)
    return torch.empty(0, dtype=torch_dtype).numpy().dtype


class GradientNoise:
    """Add ``noise_func(numpy, grad.shape, dtype, hook, rule)`` to each
    gradient before the update (Chainer's ``GradientNoise``).

    Args:
        eta (float): noise scale; the paper uses 0.01, 0.3 or 1.0.
        noise_func (callable): returns the noise as an array of the given
            shape and NumPy dtype; default :func:`exponential_decay_noise`.
            ``xp`` is always ``numpy``: the noise comes from NumPy's
            generator and is copied to the gradient's device.

    Called per parameter as ``hook(rule, param)``; timing ``'pre'``.
    """

    name = 'GradientNoise'
    call_for_each_param = True
    timing = 'pre'

    def __init__(self, eta, noise_func=exponential_decay_noise):
        self.eta = eta
        self.noise_func = noise_func

    def __call__(self, rule, param):
        grad = param.grad
        if grad is None:
            return
        noise = self.noise_func(numpy, tuple(grad.shape), _numpy_dtype(grad.dtype), self, rule)
        with torch.no_grad():
            grad.add_(torch.as_tensor(noise, device=grad.device, dtype=grad.dtype))
