"""Chainer's ``TransformDataset``: a function applied to each example on access."""

from chainvision.dataset.dataset_mixin import DatasetMixin


class TransformDataset(DatasetMixin):
    """Dataset whose ``i``-th example is ``transform(dataset[i])``.

    The transform runs lazily, every time an example is read (so random
    augmentations differ per epoch).
    """

    def __init__(self, dataset, transform):
        self._dataset = dataset
        self._transform = transform

    def __len__(self):
        return len(self._dataset)

    def get_example(self, i):
        return self._transform(self._dataset[i])
