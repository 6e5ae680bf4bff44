"""Chainer's dataset wrappers and concat_examples; reference values printed
by Chainer 7.8.1."""

import numpy
import pytest
import torch

from chainvision import datasets
from chainvision.dataset import Batch, DatasetMixin, concat_examples


def test_tuple_dataset_indexing_as_chainer():
    data = datasets.TupleDataset(numpy.arange(5), numpy.arange(5) * 10)
    assert len(data) == 5
    assert data[1] == (1, 10)
    assert data[1:3] == [(1, 10), (2, 20)]
    xs, ts = data[numpy.array([0, 2])]  # an index array gives a tuple of arrays
    assert xs.tolist() == [0, 2] and ts.tolist() == [0, 20]
    with pytest.raises(ValueError, match='same length'):
        datasets.TupleDataset(numpy.arange(3), numpy.arange(4))


def test_dict_dataset():
    data = datasets.DictDataset(x=numpy.arange(4), y=numpy.arange(4) * 2)
    assert data[3] == {'x': 3, 'y': 6}
    assert data[:2] == [{'x': 0, 'y': 0}, {'x': 1, 'y': 2}]
    with pytest.raises(ValueError, match='same length'):
        datasets.DictDataset(x=[1], y=[1, 2])


def test_split_dataset_random_gives_chainers_split():
    first, second = datasets.split_dataset_random(list(range(10)), 4, seed=0)
    assert list(first) == [2, 8, 4, 9] and list(second) == [1, 6, 7, 3, 0, 5]


def test_sub_dataset_and_split_dataset():
    first, second = datasets.split_dataset(list(range(10)), 3, order=list(range(9, -1, -1)))
    assert [first[i] for i in range(3)] == [9, 8, 7]
    assert second[-1] == 0 and len(second) == 7
    assert second.indices.tolist() == [6, 5, 4, 3, 2, 1, 0]
    with pytest.raises(IndexError):
        first[3]
    with pytest.raises(ValueError, match='split_at'):
        datasets.split_dataset(list(range(3)), 4)
    with pytest.raises(TypeError):
        datasets.split_dataset(list(range(3)), 1.5)


def test_transform_dataset_is_lazy():
    calls = []

    def double(x):
        calls.append(x)
        return 2 * x

    data = datasets.TransformDataset([1, 2, 3], double)
    assert calls == [] and len(data) == 3
    assert data[2] == 6 and data[[0, 1]] == [2, 4] and calls == [3, 1, 2]


def test_dataset_mixin_indexing():
    class Squares(DatasetMixin):
        def __len__(self):
            return 6

        def get_example(self, i):
            return i * i

    data = Squares()
    assert data[4] == 16 and data[1:6:2] == [1, 9, 25] and data[numpy.array([2, 0])] == [4, 0]


def test_concat_examples_tuple_dict_and_padding_as_chainer():
    x, t = concat_examples([(numpy.array([1, 2]), 0), (numpy.array([3, 4]), 1)])
    assert x.tolist() == [[1, 2], [3, 4]] and t.tolist() == [0, 1]
    x, t = concat_examples([(numpy.array([1, 2]), 0), (numpy.array([3]), 1)], padding=-1)
    assert x.tolist() == [[1, 2], [3, -1]]
    batch = concat_examples([{'a': numpy.zeros(2), 'b': 1}, {'a': numpy.ones(2), 'b': 2}])
    assert batch['a'].shape == (2, 2) and batch['b'].tolist() == [1, 2]
    on_device = concat_examples([(numpy.float32(1.), 2)], device='cpu')
    assert all(isinstance(a, torch.Tensor) for a in on_device)
    with pytest.raises(ValueError, match='empty'):
        concat_examples([])


def test_concat_examples_passes_a_ready_batch_through():
    x, t = torch.zeros(4, 3), torch.arange(4)
    out = concat_examples(Batch((x, t)), device='cpu')
    assert isinstance(out, Batch) and out[0] is x and out[1] is t


def test_split_dataset_n_and_its_random_form_give_chainers_subsets():
    # Chainer 7.8.1 on range(10): [[0, 1, 2], [3, 4, 5], [6, 7, 8]] and, with seed 0,
    # [[2, 8, 4], [9, 1, 6], [7, 3, 0]].
    assert [list(s) for s in datasets.split_dataset_n(list(range(10)), 3)] == [
        [0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert [list(s) for s in datasets.split_dataset_n_random(list(range(10)), 3, seed=0)] == [
        [2, 8, 4], [9, 1, 6], [7, 3, 0]]


def test_cross_validation_folds_are_chainers():
    # Chainer 7.8.1 on range(10) with 3 folds, in order and with seed 1.
    folds = datasets.get_cross_validation_datasets(list(range(10)), 3)
    assert [(list(a), list(b)) for a, b in folds] == [
        ([0, 1, 2, 3, 4, 5], [6, 7, 8, 9]), ([6, 7, 8, 9, 0, 1, 2], [3, 4, 5]),
        ([3, 4, 5, 6, 7, 8, 9], [0, 1, 2])]
    folds = datasets.get_cross_validation_datasets_random(list(range(10)), 3, seed=1)
    assert [(list(a), list(b)) for a, b in folds] == [
        ([2, 9, 6, 4, 0, 3], [1, 7, 8, 5]), ([1, 7, 8, 5, 2, 9, 6], [4, 0, 3]),
        ([4, 0, 3, 1, 7, 8, 5], [2, 9, 6])]


def test_concatenated_dataset_indexes_through_its_parts():
    joined = datasets.ConcatenatedDataset([1, 2], [3, 4, 5])
    assert len(joined) == 5 and joined[3] == 4 and joined[1:4] == [2, 3, 4]
    with pytest.raises(IndexError):
        joined[5]
