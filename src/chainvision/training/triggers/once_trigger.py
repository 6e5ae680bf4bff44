"""Fire once (and optionally once more after a resume)."""

import warnings


class OnceTrigger:
    """Fires at its first call only; with ``call_on_resume=True`` also at
    the first call after the trainer is resumed from a snapshot."""

    def __init__(self, call_on_resume=False):
        self._flag_first = True
        self._flag_resumed = call_on_resume

    @property
    def finished(self):
        """True once the trigger has fired (and will not fire again)."""
        return not (self._flag_first or self._flag_resumed)

    def __call__(self, trainer):
        fire = not self.finished
        self._flag_resumed = False
        self._flag_first = False
        return fire

    def serialize(self, serializer):
        """Save or load whether the first call has happened."""
        try:
            self._flag_first = serializer('_flag_first', self._flag_first)
        except KeyError:
            warnings.warn('The flag of OnceTrigger is not saved; it is taken as already fired.')
            self._flag_first = False
