"""The ``Updater`` interface the trainer drives."""


class Updater:
    """Base class of updaters: one ``update()`` is one training iteration.

    Subclasses provide ``iteration``, ``epoch``, ``epoch_detail``,
    ``previous_epoch_detail``, ``is_new_epoch``, ``get_optimizer(name)``,
    ``get_all_optimizers()``, ``update()`` and ``serialize(serializer)``.
    """

    def connect_trainer(self, trainer):
        """Called by the trainer it is given to."""

    def finalize(self):
        """Release resources (the iterators' workers)."""

    def get_optimizer(self, name):
        """The optimizer registered as ``name`` (``'main'``...)."""
        raise NotImplementedError

    def get_all_optimizers(self):
        """A dict of all optimizers by name."""
        raise NotImplementedError

    def update(self):
        """Run one iteration and count it in ``iteration``."""
        raise NotImplementedError

    def serialize(self, serializer):
        """Save or load the state a resumed run needs."""
        raise NotImplementedError
