"""Chainer's optimizers: the same names, defaults and update formulas, with
the state held in a ``torch.optim.Optimizer`` updated by multi-tensor
kernels (see :mod:`chainvision.optimizer`)."""

from chainvision.optimizers.ada_delta import AdaDelta  # noqa: F401
from chainvision.optimizers.ada_grad import AdaGrad  # noqa: F401
from chainvision.optimizers.adam import Adam, AdamW, AMSGrad  # noqa: F401
from chainvision.optimizers.corrected_momentum_sgd import CorrectedMomentumSGD  # noqa: F401
from chainvision.optimizers.momentum_sgd import MomentumSGD  # noqa: F401
from chainvision.optimizers.muon import Muon  # noqa: F401
from chainvision.optimizers.nesterov_ag import NesterovAG  # noqa: F401
from chainvision.optimizers.nesterov_sgdw import NesterovSGDW  # noqa: F401
from chainvision.optimizers.rmsprop import RMSprop  # noqa: F401
from chainvision.optimizers.rmsprop_graves import RMSpropGraves  # noqa: F401
from chainvision.optimizers.sgd import SGD  # noqa: F401
