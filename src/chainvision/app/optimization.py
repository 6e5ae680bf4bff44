"""A run's optimizer and learning-rate schedule, built from its options.

Adam-like optimizers keep ``alpha = lr`` and the schedule drives the
multiplier ``eta`` (so AdamW's decoupled decay follows the schedule, as in
``torch.optim.AdamW``); the others have their ``lr`` driven directly.
"""

from typing import Callable, Dict, Tuple

from chainvision import optimizer_hooks, optimizers
from chainvision.optimizer import GradientMethod
from chainvision.training.extensions.cosine_shift import CosineShift
from chainvision.training.extensions.milestone_shift import MilestoneShift
from chainvision.training.extensions.one_cycle_shift import OneCycleShift

# The attribute a schedule drives, and its peak value.
Scheduled = Tuple[str, float]


def _adamw(lr, momentum, decay):
    # Decoupled decay: each step subtracts alpha * eta * (lr * decay) * w.
    return optimizers.Adam(alpha=lr, weight_decay_rate=lr * decay), ('eta', 1.)


# The ``optimizer`` option's choices: name -> (lr, momentum, weight decay) ->
# (optimizer, the attribute the schedule drives with its peak value).
OPTIMIZERS: Dict[str, Callable] = {
    'sgd': lambda lr, momentum, decay: (optimizers.SGD(lr=lr), ('lr', lr)),
    'momentum_sgd': lambda lr, momentum, decay: (
        optimizers.MomentumSGD(lr=lr, momentum=momentum), ('lr', lr)),
    'nesterov': lambda lr, momentum, decay: (
        optimizers.NesterovAG(lr=lr, momentum=momentum), ('lr', lr)),
    'adam': lambda lr, momentum, decay: (optimizers.Adam(alpha=lr), ('eta', 1.)),
    'adamw': _adamw,
    'rmsprop': lambda lr, momentum, decay: (optimizers.RMSprop(lr=lr), ('lr', lr)),
    'adagrad': lambda lr, momentum, decay: (optimizers.AdaGrad(lr=lr), ('lr', lr)),
}


def build_optimizer(config: dict, target) -> Tuple[GradientMethod, Scheduled]:
    """The Chainer optimizer ``config['optimizer']`` set up on ``target``,
    with L2 weight decay as a hook (except AdamW, whose decay is
    decoupled), and the ``(attribute, peak value)`` its schedule drives."""
    name, decay = config['optimizer'], config['weight_decay']
    optimizer, scheduled = OPTIMIZERS[name](config['lr'], config['momentum'], decay)
    optimizer.setup(target)
    if decay and name != 'adamw':
        optimizer.add_hook(optimizer_hooks.WeightDecay(decay))
    return optimizer, scheduled


def _constant(config, attr, base, total, warmup):
    return MilestoneShift(attr, base, total, [], gamma=config['gamma'], **warmup)


def _multistep(config, attr, base, total, warmup):
    milestones = [round(f * total) for f in config['milestones']]
    return MilestoneShift(attr, base, total, milestones, gamma=config['gamma'], **warmup)


# The ``schedule`` option's choices: name -> the extension that sets the
# scheduled attribute before every update.
SCHEDULES: Dict[str, Callable] = {
    'constant': _constant,
    'multistep': _multistep,
    'cosine': lambda config, attr, base, total, warmup: CosineShift(attr, base, total,
                                                                    **warmup),
    'one-cycle': lambda config, attr, base, total, warmup: OneCycleShift(attr, base, total),
}


def build_schedule(config: dict, total: int, scheduled: Scheduled):
    """The schedule extension of ``config['schedule']`` over ``total``
    iterations, with the configured warm-up (one-cycle has its own)."""
    warmup = dict(warmup_iterations=config['warmup_iterations'],
                  warmup_mode=config['warmup_mode'], warmup_factor=config['warmup_factor'])
    attr, base = scheduled
    return SCHEDULES[config['schedule']](config, attr, base, total, warmup)


def observe_lr(optimizer, attr: str) -> Callable:
    """``trainer -> the nominal learning rate``, for ``observe_value('lr')``:
    Adam's is ``alpha * eta`` (``alpha_t`` adds the bias correction)."""
    if attr == 'eta':
        return lambda trainer: optimizer.alpha * optimizer.eta
    return lambda trainer: getattr(optimizer, attr)
