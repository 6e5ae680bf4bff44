"""Chainer's ``Iterator`` base class: what the trainer expects of an iterator."""


class Iterator:
    """Base of the dataset iterators.

    An iterator returns a batch at each ``next()`` and exposes, as in Chainer:
    ``batch_size``, ``epoch`` (completed sweeps), ``epoch_detail`` (e.g. 2.5
    in the middle of the third epoch), ``previous_epoch_detail`` (``None``
    before the first batch), ``is_new_epoch`` (the last batch finished an
    epoch), ``reset()`` and ``serialize(serializer)`` (to suspend and resume).
    """

    def __del__(self):
        self.finalize()

    def __iter__(self):
        return self

    def __next__(self):
        raise NotImplementedError

    def next(self):
        """Return the next batch (Chainer's spelling of ``__next__``)."""
        return self.__next__()

    def finalize(self):
        """Release resources (worker processes); may be called repeatedly."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.finalize()

    def serialize(self, serializer):
        """Save or restore the state that changes during iteration."""
