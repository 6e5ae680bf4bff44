"""Several datasets one after the other."""

from chainvision.dataset.dataset_mixin import DatasetMixin


class ConcatenatedDataset(DatasetMixin):
    """The examples of ``datasets`` in turn: with lengths 10 and 20, index
    12 is example 2 of the second (Chainer's ``ConcatenatedDataset``).

    Args:
        datasets: the base datasets (anything with ``len`` and indexing).
    """

    def __init__(self, *datasets):
        self._datasets = datasets

    def __len__(self):
        return sum(len(dataset) for dataset in self._datasets)

    def get_example(self, i):
        if i < 0:
            raise IndexError('ConcatenatedDataset takes non-negative indices, got {}'.format(i))
        for dataset in self._datasets:
            if i < len(dataset):
                return dataset[i]
            i -= len(dataset)
        raise IndexError('index out of range for a dataset of length {}'.format(len(self)))
