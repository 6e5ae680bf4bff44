"""A run's optimizer and learning-rate schedule, built from its options.

Adam-like optimizers keep ``alpha = lr`` and the schedule drives the
multiplier ``eta`` (so AdamW's decoupled decay follows the schedule, as in
``torch.optim.AdamW``), as do NesterovSGDW and Muon (so parameters given
their own ``lr`` follow it too); the others have their ``lr`` driven
directly.
"""

import fnmatch
from typing import Any, Callable, Dict, Mapping, Tuple

from chainvision import optimizer_hooks, optimizers
from chainvision.optimizer import GradientMethod, named_params
from chainvision.training.extensions.cosine_shift import CosineShift
from chainvision.training.extensions.linear_shift import LinearShift
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
    'nesterov_sgdw': lambda lr, momentum, decay: (
        optimizers.NesterovSGDW(lr=lr, momentum=momentum, weight_decay_rate=decay),
        ('eta', 1.)),
    'muon': lambda lr, momentum, decay: (
        optimizers.Muon(lr=lr, momentum=momentum, weight_decay_rate=decay), ('eta', 1.)),
}

# Optimizers whose weight decay is decoupled (part of their update); the
# others get L2 regularisation as a ``WeightDecay`` hook.
DECOUPLED_DECAY = ('adamw', 'nesterov_sgdw', 'muon')


def build_optimizer(config: dict, target) -> Tuple[GradientMethod, Scheduled]:
    """The Chainer optimizer ``config['optimizer']`` set up on ``target``,
    with L2 weight decay as a hook (except those in
    :data:`DECOUPLED_DECAY`), the per-parameter hyperparameters of
    ``config['param_hyperparams']`` (:func:`set_param_hyperparams`), and
    the ``(attribute, peak value)`` its schedule drives."""
    name, decay = config['optimizer'], config['weight_decay']
    optimizer, scheduled = OPTIMIZERS[name](config['lr'], config['momentum'], decay)
    optimizer.setup(target)
    if decay and name not in DECOUPLED_DECAY:
        optimizer.add_hook(optimizer_hooks.WeightDecay(decay))
    set_param_hyperparams(target, config['param_hyperparams'])
    return optimizer, scheduled


def set_param_hyperparams(target, overrides: Mapping[str, Mapping[str, Any]]) -> None:
    """Give the parameters of ``target`` whose Chainer path
    (``/predictor/head/W``) matches a glob pattern of ``overrides`` that
    pattern's hyperparameters (``param.update_rule.hyperparam``), e.g.
    ``{'/predictor/block*/conv*/W': {'lr': 0.24, 'momentum': 0.6}}``.
    Later patterns win where several match.

    Raises:
        ValueError: a pattern matches no parameter (a misspelt path).
    """
    params = list(named_params(target))
    for pattern, hyperparams in overrides.items():
        matched = [param for path, param in params if fnmatch.fnmatchcase(path, pattern)]
        if not matched:
            raise ValueError('param_hyperparams: {!r} matches no parameter; the parameters '
                             'are {}.'.format(pattern, ', '.join(path for path, _ in params)))
        for param in matched:
            for key, value in hyperparams.items():
                setattr(param.update_rule.hyperparam, key, value)


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
    # Straight down to 0 at the end of the run (airbench94_muon), no warm-up.
    'linear': lambda config, attr, base, total, warmup: LinearShift(attr, (base, 0.),
                                                                    (0, total)),
}


def build_schedule(config: dict, total: int, scheduled: Scheduled):
    """The schedule extension of ``config['schedule']`` over ``total``
    iterations, with the configured warm-up (one-cycle has its own, linear
    none)."""
    warmup = dict(warmup_iterations=config['warmup_iterations'],
                  warmup_mode=config['warmup_mode'], warmup_factor=config['warmup_factor'])
    attr, base = scheduled
    return SCHEDULES[config['schedule']](config, attr, base, total, warmup)


def observe_lr(optimizer, attr: str) -> Callable:
    """``trainer -> the nominal learning rate``, for ``observe_value('lr')``:
    Adam's is ``alpha * eta`` (``alpha_t`` adds the bias correction),
    NesterovSGDW's and Muon's ``lr * eta`` (of the parameters without their own)."""
    if attr == 'eta':
        rate = 'alpha' if hasattr(optimizer.hyperparam, 'alpha') else 'lr'
        return lambda trainer: getattr(optimizer.hyperparam, rate) * optimizer.eta
    return lambda trainer: getattr(optimizer, attr)
