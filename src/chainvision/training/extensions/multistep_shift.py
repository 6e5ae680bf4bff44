"""Multiply a hyperparameter by ``gamma`` at given calls."""

from chainvision.training.extensions._shift import ValueShift


class MultistepShift(ValueShift):
    """``optimizer.<attr> = init * gamma ** k`` where ``k`` is the number of
    ``step_value`` entries reached (e.g. lr /10 at 32k and 48k iterations:
    ``MultistepShift('lr', 0.1, [32000, 48000], 0.1)``).

    As in Chainer, the entries are taken in the given order, at most one per
    call and never at the start: entry ``k`` is taken at the first call
    ``t >= step_value[k]`` after entry ``k - 1``'s.  For increasing positive
    entries that is simply the number of entries ``<= t``.

    Args:
        attr (str): the hyperparameter.
        gamma (float): the factor at each step.
        step_value (list of int): the calls at which to multiply.
        init (float or None): the start value (``None``: the optimizer's).
        optimizer: default: the updater's ``'main'`` optimizer.

    Snapshots also hold Chainer's ``_current_step`` (``k``).
    """

    def __init__(self, attr, gamma, step_value, init, optimizer=None):
        super().__init__(attr, optimizer, init)
        self._gamma = gamma
        self._step_value = list(step_value)

    def _steps_taken(self, t):
        taken, taken_at = 0, 0
        for step in self._step_value:
            taken_at = max(step, taken_at + 1)
            if taken_at > t:
                break
            taken += 1
        return taken

    def value_at(self, t):
        return self._init * self._gamma ** self._steps_taken(t)

    def serialize(self, serializer):
        super().serialize(serializer)
        serializer('_current_step', self._steps_taken(self._t))
