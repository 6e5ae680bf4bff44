"""The position/epoch bookkeeping shared by the Chainer-style iterators."""

import collections

import numpy

from chainvision.serializer import as_numpy

IteratorState = collections.namedtuple('IteratorState', (
    'current_position', 'epoch', 'is_new_epoch', 'order'))


def advance(state, batch_size, repeat, order_sampler, dataset_len):
    """Return ``(next_state, indices)`` of the next batch, or ``(state, None)``
    when a non-repeating iterator has finished its epoch.

    As in Chainer, a repeating iterator's batches run across epoch ends: the
    batch that finishes an epoch is filled from the next epoch's order (drawn
    from ``order_sampler`` at that moment), so every batch is full.
    """
    position, epoch, _, order = state
    if not repeat and epoch > 0:
        return state, None
    size = dataset_len if order is None else len(order)
    if repeat and size == 0:
        raise ValueError('cannot repeat over an empty dataset')
    parts = []
    end = position + batch_size
    is_new_epoch = False
    while end >= size:
        parts.append(_indices(order, position, size))
        if order is not None:
            new_order = order_sampler(order, position)
            if len(new_order) != len(order):
                raise ValueError('the order sampler returned {} indices for a dataset of {}'
                                 .format(len(new_order), len(order)))
            order = new_order
        epoch += 1
        is_new_epoch = True
        position = 0
        if not repeat:
            end = 0
            break
        end -= size
    parts.append(_indices(order, position, end))
    return IteratorState(end, epoch, is_new_epoch, order), numpy.concatenate(parts)


def _indices(order, start, stop):
    if order is None:
        return numpy.arange(start, stop, dtype=numpy.intp)
    return numpy.asarray(order[start:stop], dtype=numpy.intp)


class StatefulIteratorMixin:
    """Chainer's iterator attributes over ``self._state`` (an
    :class:`IteratorState`) and ``self._previous_epoch_detail`` (``-1``
    before the first batch, as Chainer stores it), plus their
    serialization."""

    @property
    def current_position(self):
        """Index of the next example within the current epoch's order."""
        return self._state.current_position

    @property
    def epoch(self):
        """Number of completed sweeps over the dataset."""
        return self._state.epoch

    @property
    def is_new_epoch(self):
        """Whether the last batch completed an epoch."""
        return self._state.is_new_epoch

    @property
    def epoch_detail(self):
        """``epoch`` plus the fraction of the current epoch done."""
        size = len(self._state.order) if self._state.order is not None else self._epoch_size()
        return self.epoch + self.current_position / size

    @property
    def previous_epoch_detail(self):
        """``epoch_detail`` before the last batch; ``None`` before the first."""
        return None if self._previous_epoch_detail < 0 else self._previous_epoch_detail

    def _serialize_state(self, serializer):
        """Save/restore position, epoch, order and the sampler's generator:
        a restored iterator yields the same batches the original would."""
        position = int(serializer('current_position', self.current_position))
        epoch = int(serializer('epoch', self.epoch))
        is_new_epoch = bool(serializer('is_new_epoch', self.is_new_epoch))
        order = self._state.order
        if order is not None:
            order = as_numpy(serializer('order', numpy.array(order))).astype(numpy.intp)
        self._state = IteratorState(position, epoch, is_new_epoch, order)
        self._previous_epoch_detail = float(
            serializer('previous_epoch_detail', self._previous_epoch_detail))
        if hasattr(self.order_sampler, 'serialize'):
            try:
                self.order_sampler.serialize(serializer['order_sampler'])
            except KeyError:
                pass  # a snapshot written by Chainer has no sampler state
