"""What interval and schedule triggers remember between calls."""

import warnings


def check_unit(unit):
    """Raise a clear error unless ``unit`` is ``'epoch'`` or ``'iteration'``."""
    if unit not in ('epoch', 'iteration'):
        raise ValueError(
            "Trigger unit must be either 'epoch' or 'iteration', got {!r}.".format(unit))


class PreviousPosition:
    """The updater's iteration and epoch_detail at the previous call, so a
    trigger fires when a boundary was crossed since then (even if it is not
    called every iteration)."""

    def __init__(self):
        self.iteration = 0
        self.epoch_detail = 0.

    def interval(self, updater, unit):
        """Return ``(previous, current)`` positions in ``unit`` and record
        the current ones."""
        if unit == 'epoch':
            current = updater.epoch_detail
            previous = self.epoch_detail
            if previous < 0:
                previous = updater.previous_epoch_detail
        else:
            current = updater.iteration
            previous = self.iteration
            if previous < 0:
                previous = current - 1
        self.iteration = updater.iteration
        if hasattr(updater, 'epoch_detail'):
            self.epoch_detail = updater.epoch_detail
        return previous, current

    def serialize(self, serializer):
        """Save or load the positions (Chainer's keys)."""
        try:
            self.iteration = serializer('previous_iteration', self.iteration)
        except KeyError:
            warnings.warn('The previous iteration of a trigger is not saved: it is guessed '
                          'from the current one.')
            self.iteration = -1
        try:
            self.epoch_detail = serializer('previous_epoch_detail', self.epoch_detail)
        except KeyError:
            warnings.warn("The previous epoch_detail of a trigger is not saved: the updater's "
                          'previous_epoch_detail is used.')
            self.epoch_detail = -1.
