"""Chainer's ``MultiprocessIterator``: examples read by worker processes,
the next batches prefetched while the model works on the current one."""

import collections
import multiprocessing

import numpy

from chainvision.dataset.iterator import Iterator
from chainvision.iterators._sampler_option import resolve_order_sampler
from chainvision.iterators._statemachine import IteratorState, StatefulIteratorMixin, advance

_worker_dataset = None


def _init_worker(dataset):
    global _worker_dataset
    _worker_dataset = dataset


def _fetch(index):
    return _worker_dataset[index]


class MultiprocessIterator(StatefulIteratorMixin, Iterator):
    """Like :class:`SerialIterator`, but ``dataset[i]`` runs in a pool of
    worker processes and the next ``n_prefetch`` batches are requested
    ahead of time.

    Args:
        dataset, batch_size, repeat, shuffle, order_sampler: as
            :class:`SerialIterator` (batches and their order are identical
            to a ``SerialIterator`` with the same sampler).
        n_processes (int): workers (default: the number of CPUs).
        n_prefetch (int): batches requested ahead (at least 1).
        shared_mem, dataset_timeout, maxtasksperchild: accepted for Chainer
            compatibility; ``maxtasksperchild`` is passed to the pool, the
            other two are unused (examples travel by pickling).

    The dataset is sent to the workers once, when the pool starts (with
    the ``fork`` start method where available, so nothing is copied).
    Call :meth:`finalize` (or use ``with``) to stop the workers.
    """

    def __init__(self, dataset, batch_size, repeat=True, shuffle=None, n_processes=None,
                 n_prefetch=1, shared_mem=None, order_sampler=None, dataset_timeout=30.0,
                 maxtasksperchild=None):
        self.dataset = dataset
        self.batch_size = batch_size
        self.repeat = repeat
        self.n_processes = n_processes or multiprocessing.cpu_count()
        self.n_prefetch = max(n_prefetch, 1)
        self.shared_mem = shared_mem
        self.dataset_timeout = dataset_timeout
        self.maxtasksperchild = maxtasksperchild
        self.order_sampler = resolve_order_sampler(shuffle, order_sampler)
        self._pool = None
        self._pending = collections.deque()
        self.reset()

    def _start_pool(self):
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context('fork' if 'fork' in methods else None)
        self._pool = context.Pool(self.n_processes, initializer=_init_worker,
                                  initargs=(self.dataset,),
                                  maxtasksperchild=self.maxtasksperchild)

    def _sampler_state(self):
        getter = getattr(self.order_sampler, 'get_state', None)
        return getter() if getter else None

    def _request(self):
        # Each request remembers the iterator state (and the sampler's
        # generator state) after its batch, so what the user sees and what
        # serialize saves never run ahead with the prefetching.
        state = self._pending[-1][0] if self._pending else self._state
        state, indices = advance(state, self.batch_size, self.repeat, self.order_sampler,
                                 len(self.dataset))
        result = None
        if indices is not None:
            chunk = max(1, len(indices) // self.n_processes)
            result = self._pool.map_async(_fetch, indices.tolist(), chunksize=chunk)
        self._pending.append((state, self._sampler_state(), result))

    def __next__(self):
        if self._pool is None:
            self._start_pool()
        while len(self._pending) < self.n_prefetch + 1:
            self._request()
        state, sampler_state, result = self._pending.popleft()
        if result is None:
            self._pending.appendleft((state, sampler_state, result))
            raise StopIteration
        self._previous_epoch_detail = self.epoch_detail
        self._state = state
        self._visible_sampler_state = sampler_state
        return result.get()

    next = __next__

    def _epoch_size(self):
        return len(self.dataset)

    def _discard_prefetched(self):
        for _, _, result in self._pending:
            if result is not None:
                result.wait()
        if self._pending and self._visible_sampler_state is not None:
            self.order_sampler.set_state(self._visible_sampler_state)
        self._pending.clear()

    def reset(self):
        """Start again from the first epoch (with a fresh order)."""
        if self._pending:
            self._discard_prefetched()
        order = None
        if self.order_sampler is not None:
            order = self.order_sampler(numpy.arange(len(self.dataset)), 0)
        self._state = IteratorState(0, 0, False, order)
        self._previous_epoch_detail = -1.
        self._visible_sampler_state = self._sampler_state()

    def serialize(self, serializer):
        """Save or restore the position, epoch, order and generator state of
        the last batch returned (prefetched batches are dropped and
        requested again)."""
        self._discard_prefetched()
        self._serialize_state(serializer)
        self._visible_sampler_state = self._sampler_state()

    def finalize(self):
        """Stop the worker processes."""
        pool, self._pool = getattr(self, '_pool', None), None
        if pool is not None:
            pool.terminate()
            pool.join()
