"""Multiply a hyperparameter by ``gamma`` every ``step`` calls."""

import math

from chainvision.training.extensions._shift import ValueShift, stop_at_target


class StepShift(ValueShift):
    """``optimizer.<attr> = init * gamma ** floor(t / step)``, stopped at
    ``target``.

    Args:
        attr (str): the hyperparameter.
        gamma (float): the factor.
        step (int): calls between changes.
        init (float): the start value (default: the optimizer's value).
        target (float): the value not to go beyond.
        optimizer: default: the updater's ``'main'`` optimizer.
    """

    def __init__(self, attr, gamma, step, init=None, target=None, optimizer=None):
        super().__init__(attr, optimizer, init)
        self._gamma = gamma
        self._step = step
        self._target = target

    def value_at(self, t):
        if t == 0:  # Chainer starts from ``init`` even beyond ``target``
            return self._init
        value = self._init * self._gamma ** math.floor(t / self._step)
        return stop_at_target(value, self._target, self._gamma > 1)
