"""Chainer's ``DatasetMixin``: indexing by int, slice, list or array on top
of ``get_example``."""

import numpy


class DatasetMixin:
    """Base of datasets that define ``__len__`` and ``get_example(i)``.

    ``dataset[i]`` returns one example; ``dataset[2:5]``, ``dataset[[4, 0]]``
    and ``dataset[numpy.arange(3)]`` return a list of examples (as in
    Chainer).
    """

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self.get_example(i) for i in range(*index.indices(len(self)))]
        if isinstance(index, (list, numpy.ndarray)):
            return [self.get_example(int(i)) for i in index]
        return self.get_example(index)

    def __len__(self):
        """The number of examples."""
        raise NotImplementedError

    def get_example(self, i):
        """Return the ``i``-th example; raise ``IndexError`` when out of range."""
        raise NotImplementedError
