"""Chainer's ``SerialIterator``: batches read in the main process."""

import numpy

from chainvision.dataset.iterator import Iterator
from chainvision.iterators._sampler_option import resolve_order_sampler
from chainvision.iterators._statemachine import IteratorState, StatefulIteratorMixin, advance


class SerialIterator(StatefulIteratorMixin, Iterator):
    """Visits a dataset in order or in a new random order each epoch; each
    batch is a list of examples (pass it through ``concat_examples``).

    Args:
        dataset: any object with ``__len__`` and ``__getitem__``.
        batch_size (int): examples per batch.
        repeat (bool): loop forever (``True``) or stop after one epoch, the
            last batch then holding the remainder.
        shuffle (bool or None): new random order each epoch (``None`` with no
            ``order_sampler`` means ``True``).
        order_sampler (callable): ``(order, position) -> next order``;
            needs ``shuffle=None``.

    As in Chainer, a repeating iterator fills the batch that ends an epoch
    with the first examples of the next epoch.  ``serialize`` also saves the
    shuffling generator's state, so a resumed run sees the same later epochs.
    """

    def __init__(self, dataset, batch_size, repeat=True, shuffle=None, order_sampler=None):
        self.dataset = dataset
        self.batch_size = batch_size
        self.repeat = repeat
        self.order_sampler = resolve_order_sampler(shuffle, order_sampler)
        self.reset()

    def __next__(self):
        self._previous_epoch_detail = self.epoch_detail
        self._state, indices = advance(self._state, self.batch_size, self.repeat,
                                       self.order_sampler, len(self.dataset))
        if indices is None:
            raise StopIteration
        return [self.dataset[index] for index in indices]

    next = __next__

    def _epoch_size(self):
        return len(self.dataset)

    def reset(self):
        """Start again from the first epoch (with a fresh order)."""
        order = None
        if self.order_sampler is not None:
            order = self.order_sampler(numpy.arange(len(self.dataset)), 0)
        self._state = IteratorState(0, 0, False, order)
        self._previous_epoch_detail = -1.

    def serialize(self, serializer):
        """Save or restore the position, epoch, order and generator state."""
        self._serialize_state(serializer)
