"""Chainer's ``DictDataset``: equal-length datasets under names."""


class DictDataset:
    """Dataset whose ``i``-th example is ``{name: dataset[i], ...}``.

    Args:
        **datasets: arrays or sequences of one length, by name.  A slice
            gives a list of dicts; an index array gives a dict of indexed
            arrays (both as Chainer).
    """

    def __init__(self, **datasets):
        if not datasets:
            raise ValueError('DictDataset needs at least one dataset')
        lengths = {key: len(value) for key, value in datasets.items()}
        if len(set(lengths.values())) != 1:
            raise ValueError('DictDataset: all datasets must have the same length, got {}'
                             .format(lengths))
        self._datasets = datasets
        self._length = next(iter(lengths.values()))

    def __getitem__(self, index):
        batches = {key: dataset[index] for key, dataset in self._datasets.items()}
        if isinstance(index, slice):
            length = len(next(iter(batches.values())))
            return [{key: batch[i] for key, batch in batches.items()} for i in range(length)]
        return batches

    def __len__(self):
        return self._length
