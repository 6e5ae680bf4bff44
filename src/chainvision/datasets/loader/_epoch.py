"""Epoch bookkeeping shared by the loaders: a shuffled order per epoch,
batches that end with the epoch, and Chainer's iterator attributes."""

import contextlib

import numpy
import torch

from chainvision.dataset.iterator import Iterator
from chainvision.serializer import as_numpy


@contextlib.contextmanager
def single_threaded():
    """Run the block with one intra-op CPU thread.

    A batch's augmentations are many small operations (a CIFAR batch is
    0.4 MB): a second OpenMP thread gains nothing, and when another
    process holds a core every parallel region waits for it.  Measured on
    the 2-core CPU of benchmarks/input_pipeline.py under load: 1.8 ms per
    CIFAR batch single-threaded against 40 ms with two threads.  (Torch's
    DataLoader workers run single-threaded for the same reason; on a GPU
    the setting only affects the host side, which launches kernels.)
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


class EpochLoader(Iterator):
    """Base of :class:`DeviceLoader` and :class:`FolderLoader`.

    Unlike Chainer's iterators (whose batches run across epoch ends), an
    epoch here is a whole number of batches, as with PyTorch's DataLoader:
    the last batch of an epoch holds the remainder, or is dropped with
    ``drop_last``.  Subclasses set ``self.generator`` (a ``torch.Generator``)
    and ``self._size`` before calling ``_init_epochs`` and implement
    ``_make_batch(indices)``.
    """

    def _init_epochs(self, batch_size, shuffle, repeat, drop_last, seed):
        if batch_size < 1:
            raise ValueError('batch_size must be positive, got {}'.format(batch_size))
        if self._size == 0:
            raise ValueError('cannot make batches of an empty dataset')
        if drop_last and self._size < batch_size:
            raise ValueError('drop_last with {} examples and batch_size {} gives no batch'.format(
                self._size, batch_size))
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.repeat = repeat
        self.drop_last = drop_last
        self.seed = seed
        self.reset()

    def reset(self):
        """Restart from epoch 0 with the generator re-seeded: the same
        batches as a fresh loader."""
        self.generator.manual_seed(self.seed)
        self.epoch = 0
        self.is_new_epoch = False
        self.current_position = 0
        self._previous_epoch_detail = -1.
        self._new_order()

    def _new_order(self):
        if self.shuffle:
            self._order = torch.randperm(self._size, generator=self.generator,
                                         device=self.generator.device)
        else:
            self._order = torch.arange(self._size, device=self.generator.device)

    def __len__(self):
        """Batches per epoch."""
        if self.drop_last:
            return self._size // self.batch_size
        return -(-self._size // self.batch_size)

    @property
    def _epoch_end(self):
        return len(self) * self.batch_size if self.drop_last else self._size

    @property
    def epoch_detail(self):
        """``epoch`` plus the fraction of the current epoch done."""
        return self.epoch + self.current_position / self._epoch_end

    @property
    def previous_epoch_detail(self):
        """``epoch_detail`` before the last batch; ``None`` before the first."""
        return None if self._previous_epoch_detail < 0 else self._previous_epoch_detail

    def _next_indices(self):
        """Advance by one batch and return its indices (a tensor on the
        generator's device); raise ``StopIteration`` after the one epoch of
        a non-repeating loader."""
        if not self.repeat and self.epoch > 0:
            raise StopIteration
        self._previous_epoch_detail = self.epoch_detail
        start = self.current_position
        stop = min(start + self.batch_size, self._epoch_end)
        indices = self._order[start:stop]
        self.current_position = stop
        self.is_new_epoch = stop == self._epoch_end
        if self.is_new_epoch:
            self.epoch += 1
            self.current_position = 0
            self._new_order()
        return indices

    def __next__(self):
        return self._make_batch(self._next_indices())

    next = __next__

    def serialize(self, serializer):
        """Save or restore position, epoch, this epoch's order and the
        generator state, so a restored loader yields exactly the batches
        (order and augmentation) the original would have."""
        self.current_position = int(serializer('current_position', self.current_position))
        self.epoch = int(serializer('epoch', self.epoch))
        self.is_new_epoch = bool(serializer('is_new_epoch', self.is_new_epoch))
        self._previous_epoch_detail = float(
            serializer('previous_epoch_detail', self._previous_epoch_detail))
        order = as_numpy(serializer('order', self._order.cpu().numpy()))
        self._order = torch.as_tensor(order.astype(numpy.int64), device=self.generator.device)
        state = as_numpy(serializer('generator_state', self.generator.get_state().numpy()))
        self.generator.set_state(torch.as_tensor(state.astype(numpy.uint8)))
