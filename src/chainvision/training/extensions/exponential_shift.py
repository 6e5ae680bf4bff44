"""Multiply a hyperparameter by a constant rate at each call."""

from chainvision.training.extensions._shift import ValueShift, stop_at_target


class ExponentialShift(ValueShift):
    """``optimizer.<attr> = init * rate ** t`` after the ``t``-th call,
    stopped at ``target`` (e.g. ``ExponentialShift('lr', 0.5)`` with
    ``trigger=(10, 'epoch')`` halves the learning rate every 10 epochs).

    Args:
        attr (str): the hyperparameter, e.g. ``'lr'`` or ``'alpha'``.
        rate (float): the factor, >= 0.
        init (float): the start value (default: the optimizer's value).
        target (float): the value not to go beyond.
        optimizer: default: the updater's ``'main'`` optimizer.
    """

    def __init__(self, attr, rate, init=None, target=None, optimizer=None):
        if rate < 0:
            raise ValueError('ExponentialShift does not support a negative rate, got {}'.format(
                rate))
        super().__init__(attr, optimizer, init)
        self._rate = rate
        self._target = target

    def value_at(self, t):
        if t == 0:  # Chainer starts from ``init`` even beyond ``target``
            return self._init
        return stop_at_target(self._init * self._rate ** t, self._target, self._rate > 1)
