"""Chainer's ``TupleDataset``: several equal-length datasets zipped."""


class TupleDataset:
    """Dataset whose ``i``-th example is ``(d0[i], d1[i], ...)``.

    Args:
        *datasets: arrays or sequences, all of the same length.  Indexing with
            a slice returns a list of tuples; indexing with an index array
            returns a tuple of the indexed arrays (both as Chainer).
    """

    def __init__(self, *datasets):
        if not datasets:
            raise ValueError('TupleDataset needs at least one dataset')
        length = len(datasets[0])
        for i, dataset in enumerate(datasets):
            if len(dataset) != length:
                raise ValueError('TupleDataset: dataset {} has length {}, dataset 0 has {}; '
                                 'all must have the same length'.format(i, len(dataset), length))
        self._datasets = datasets
        self._length = length

    def __getitem__(self, index):
        batches = [dataset[index] for dataset in self._datasets]
        if isinstance(index, slice):
            return list(zip(*batches))
        return tuple(batches)

    def __len__(self):
        return self._length
