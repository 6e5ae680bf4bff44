"""Stop training when the loss or the parameters become NaN or infinite."""

import math

import torch

from chainvision.link import named_params
from chainvision.training import extension


class DivergenceError(RuntimeError):
    """Raised by :class:`FailOnNonNumber`; ``snapshot(snapshot_on_error=True)``
    does not save on it, so the newest snapshot stays the last good one."""


class FailOnNonNumber(extension.Extension):
    """Raise :class:`DivergenceError` (a ``RuntimeError``) as soon as an
    observed loss (any observation key ending in ``loss``) or a parameter of
    any optimizer's target is NaN or infinite.  The message names the
    iteration and the offending values and suggests a lower learning rate.

    Chainer's version checks only the parameters; checking the loss too
    stops the run one update earlier, before a snapshot can store NaNs.
    Each check reads one value back from the device per iteration.
    """

    def __call__(self, trainer):
        iteration = trainer.updater.iteration
        for key, value in trainer.observation.items():
            if key.endswith('loss') and not _is_finite(value):
                raise DivergenceError(_message(iteration, '{} is {}'.format(key, float(value))))
        for name, optimizer in trainer.updater.get_all_optimizers().items():
            bad = _non_finite_params(optimizer.target)
            if bad:
                what = "parameters of optimizer '{}' are not finite: {}".format(
                    name, ', '.join(bad[:5]))
                raise DivergenceError(_message(iteration, what))


def _is_finite(value):
    if isinstance(value, torch.Tensor):
        return bool(torch.isfinite(value).all())
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return True


def _non_finite_params(module):
    named = list(named_params(module, include_uninit=False))
    if not named:
        return []
    norms = torch.stack([n.float() for n in torch._foreach_norm([p.detach() for _, p in named])])
    finite = torch.isfinite(norms).tolist()
    return [name for (name, _), ok in zip(named, finite) if not ok]


def _message(iteration, what):
    return ('Training diverged at iteration {}: {}. The learning rate is probably too high: '
            'try a lower one (e.g. a tenth), gradient clipping, or a warm-up.'.format(
                iteration, what))
