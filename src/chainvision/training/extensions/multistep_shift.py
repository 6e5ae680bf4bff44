"""Multiply a hyperparameter by ``gamma`` at given calls."""

from chainvision.training.extensions._shift import ValueShift


class MultistepShift(ValueShift):
    """``optimizer.<attr> = init * gamma ** k`` where ``k`` is the number of
    ``step_value`` entries reached (e.g. lr /10 at 32k and 48k iterations:
    ``MultistepShift('lr', 0.1, [32000, 48000], 0.1)``).

    Args:
        attr (str): the hyperparameter.
        gamma (float): the factor at each step.
        step_value (list of int): the calls at which to multiply.
        init (float or None): the start value (``None``: the optimizer's).
        optimizer: default: the updater's ``'main'`` optimizer.

    Snapshots also hold Chainer's ``_current_step``.
    """

    def __init__(self, attr, gamma, step_value, init, optimizer=None):
        super().__init__(attr, optimizer, init)
        self._gamma = gamma
        self._step_value = list(step_value)

    def _steps_reached(self, t):
        return sum(1 for step in self._step_value if t >= step)

    def value_at(self, t):
        return self._init * self._gamma ** self._steps_reached(t)

    def serialize(self, serializer):
        super().serialize(serializer)
        serializer('_current_step', self._steps_reached(self._t))
