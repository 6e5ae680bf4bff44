"""Chainer's ``SubDataset`` and the split helpers."""

import numbers

import numpy

from chainvision.dataset.dataset_mixin import DatasetMixin


class SubDataset(DatasetMixin):
    """The examples ``[start, finish)`` of ``dataset``, optionally through a
    permutation ``order`` of its indices (as Chainer's ``SubDataset``).

    Args:
        dataset: the base dataset.
        start (int), finish (int): the interval, ``0 <= start <= finish <= len(dataset)``.
        order (sequence of int or None): permutation of the base indices.
    """

    def __init__(self, dataset, start, finish, order=None):
        if start < 0 or finish > len(dataset) or start > finish:
            raise ValueError('SubDataset: interval [{}, {}) is outside the base dataset of '
                             'length {}'.format(start, finish, len(dataset)))
        if order is not None and len(order) != len(dataset):
            raise ValueError('order must have the length of the base dataset: len(order) = {} '
                             'while len(dataset) = {}'.format(len(order), len(dataset)))
        self._dataset = dataset
        self._start = start
        self._finish = finish
        self._order = order

    def __len__(self):
        return self._finish - self._start

    @property
    def indices(self):
        """Indices of this subset's examples in the base dataset (int64 array)."""
        positions = numpy.arange(self._start, self._finish)
        if self._order is None:
            return positions
        return numpy.asarray(self._order)[positions]

    def get_example(self, i):
        size = len(self)
        if not -size <= i < size:
            raise IndexError('dataset index {} out of range for length {}'.format(i, size))
        index = self._start + i if i >= 0 else self._finish + i
        if self._order is not None:
            index = self._order[index]
        return self._dataset[index]


def split_dataset(dataset, split_at, order=None):
    """Split into ``(SubDataset of order[:split_at], SubDataset of order[split_at:])``."""
    if not isinstance(split_at, numbers.Integral):
        raise TypeError('split_at must be int, got {}'.format(type(split_at)))
    if not 0 <= split_at <= len(dataset):
        raise ValueError('split_at must be in [0, {}], got {}'.format(len(dataset), split_at))
    return (SubDataset(dataset, 0, split_at, order),
            SubDataset(dataset, split_at, len(dataset), order))


def split_dataset_random(dataset, first_size, seed=None):
    """Split randomly into subsets of ``first_size`` and ``len - first_size``
    examples.  The permutation is ``numpy.random.RandomState(seed).permutation``,
    the same as Chainer's, so a seed gives Chainer's split."""
    order = numpy.random.RandomState(seed).permutation(len(dataset))
    return split_dataset(dataset, first_size, order)


def split_dataset_n(dataset, n, order=None):
    """Split into ``n`` subsets of ``len(dataset) // n`` examples each (the
    remainder is left out), in the order ``order``."""
    size = len(dataset) // n
    return [SubDataset(dataset, size * i, size * (i + 1), order) for i in range(n)]


def split_dataset_n_random(dataset, n, seed=None):
    """:func:`split_dataset_n` after a random permutation,
    ``numpy.random.RandomState(seed).permutation`` (Chainer's, so a seed gives
    Chainer's subsets)."""
    return split_dataset_n(dataset, n, numpy.random.RandomState(seed).permutation(len(dataset)))


def get_cross_validation_datasets(dataset, n_folds, order=None):
    """``n_folds`` pairs ``(train, test)`` for cross-validation: the test
    subsets are disjoint, cover the dataset and differ in size by at most one;
    each train subset is the rest.  Folds are taken from the end of ``order``
    (default: the dataset's order) backwards, as Chainer does."""
    order = numpy.arange(len(dataset)) if order is None else numpy.array(order)
    total = len(dataset)
    borders = [total * i // n_folds for i in range(n_folds + 1)]
    splits = []
    for test_size in reversed([b - a for a, b in zip(borders, borders[1:])]):
        splits.append(split_dataset(dataset, total - test_size, order))
        order = numpy.roll(order, test_size)
    return splits


def get_cross_validation_datasets_random(dataset, n_folds, seed=None):
    """:func:`get_cross_validation_datasets` after a random permutation
    ``numpy.random.RandomState(seed).permutation`` (Chainer's)."""
    order = numpy.random.RandomState(seed).permutation(len(dataset))
    return get_cross_validation_datasets(dataset, n_folds, order)
