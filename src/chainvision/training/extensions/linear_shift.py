"""Change a hyperparameter linearly over a range of calls."""

from chainvision.training.extensions._shift import ValueShift


class LinearShift(ValueShift):
    """``optimizer.<attr>`` goes linearly from ``value_range[0]`` (up to call
    ``time_range[0]``) to ``value_range[1]`` (from call ``time_range[1]``).

    Args:
        attr (str): the hyperparameter.
        value_range (tuple): ``(start value, end value)``.
        time_range (tuple): ``(first call, last call)`` of the ramp.
        optimizer: default: the updater's ``'main'`` optimizer.
    """

    def __init__(self, attr, value_range, time_range, optimizer=None):
        super().__init__(attr, optimizer)
        self._value_range = value_range
        self._time_range = time_range

    def value_at(self, t):
        (t1, t2), (v1, v2) = self._time_range, self._value_range
        if t <= t1:
            return v1
        if t >= t2:
            return v2
        return v1 + (t - t1) / (t2 - t1) * (v2 - v1)
