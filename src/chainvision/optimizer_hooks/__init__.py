"""Chainer's optimizer hooks: register with ``optimizer.add_hook(hook)``."""

from chainvision.optimizer_hooks.gradient_clipping import GradientClipping  # noqa: F401
from chainvision.optimizer_hooks.gradient_hard_clipping import GradientHardClipping  # noqa: F401
from chainvision.optimizer_hooks.gradient_lars import GradientLARS  # noqa: F401
from chainvision.optimizer_hooks.gradient_noise import GradientNoise  # noqa: F401
from chainvision.optimizer_hooks.lasso import Lasso  # noqa: F401
from chainvision.optimizer_hooks.weight_decay import WeightDecay  # noqa: F401
