"""Probability distributions with Chainer's API (``chainer.distributions``).

Parameters and results are differentiable ``torch.Tensor``; KL divergences
are registered with :func:`chainvision.register_kl` and computed by
:func:`chainvision.kl_divergence`.
"""

from chainvision.distributions.bernoulli import Bernoulli  # noqa: F401
from chainvision.distributions.independent import Independent  # noqa: F401
from chainvision.distributions.normal import Normal  # noqa: F401
