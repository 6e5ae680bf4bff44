"""The real MNIST, Fashion-MNIST and CIFAR-10 files: shapes, dtypes, labels,
class counts, published statistics and the array cache."""

import os

import numpy
import pytest

import chainvision
from chainvision import datasets
from chainvision.datasets._mnist_helper import to_chainer_dataset
from chainvision.datasets.cifar import _to_chainer_dataset as _cifar_to_chainer

MNIST_TRAIN_CLASS_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]


@pytest.mark.parametrize('name, sizes, shape', [
    ('mnist', (60000, 10000), (1, 28, 28)),
    ('fashion_mnist', (60000, 10000), (1, 28, 28)),
    ('cifar10', (50000, 10000), (3, 32, 32)),
])
def test_load_arrays_shapes_dtypes_and_label_range(name, sizes, shape):
    for split, size in zip(('train', 'test'), sizes):
        images, labels = datasets.load_arrays(name, split)
        assert images.shape == (size,) + shape and images.dtype == numpy.uint8
        assert labels.shape == (size,) and labels.dtype == numpy.int64
        assert labels.min() == 0 and labels.max() == 9
    assert datasets.get_info(name).image_shape == shape


def test_class_counts():
    assert numpy.bincount(datasets.load_arrays('mnist')[1]).tolist() == MNIST_TRAIN_CLASS_COUNTS
    assert numpy.bincount(datasets.load_arrays('fashion_mnist')[1]).tolist() == [6000] * 10
    assert numpy.bincount(datasets.load_arrays('fashion_mnist', 'test')[1]).tolist() == [1000] * 10
    assert numpy.bincount(datasets.load_arrays('cifar10')[1]).tolist() == [5000] * 10
    assert numpy.bincount(datasets.load_arrays('cifar10', 'test')[1]).tolist() == [1000] * 10


@pytest.mark.parametrize('name, mean, std', [
    ('mnist', [0.1307], [0.3081]),
    ('fashion_mnist', [0.2860], [0.3530]),
    ('cifar10', [0.4914, 0.4822, 0.4465], [0.2470, 0.2435, 0.2616]),
])
def test_train_mean_std_match_the_published_values(name, mean, std):
    m, s = datasets.train_mean_std(name)
    numpy.testing.assert_allclose(m, mean, atol=5e-5)
    numpy.testing.assert_allclose(s, std, atol=5e-5)
    # The second call reads the cached JSON and gives the same numbers.
    numpy.testing.assert_array_equal(datasets.train_mean_std(name)[0], m)


def test_cifar10_pixels_are_the_original_ones():
    images, labels = datasets.load_arrays('cifar10', 'train')
    # Published first pixels (R plane) of data_batch_1 rows 0, 1, 2 and 9999.
    assert images[0, 0, 0, :3].tolist() == [59, 43, 50]
    assert images[1, 0, 0, :3].tolist() == [154, 126, 105]
    assert images[2, 0, 0, :3].tolist() == [255, 253, 253]
    assert images[9999, 0, 0, :3].tolist() == [62, 61, 60]
    test_images, _ = datasets.load_arrays('cifar10', 'test')
    assert test_images[0, :, 0, 0].tolist() == [158, 112, 49]
    assert datasets.get_info('cifar10').class_names[labels[0]] == 'frog'


def test_cache_is_memory_mapped_and_outside_the_read_only_root():
    images, _ = datasets.load_arrays('mnist', 'test')
    assert isinstance(images, numpy.memmap)
    cache = os.path.join(os.environ['CHAINVISION_CACHE_DIR'], 'arrays', 'mnist')
    assert os.path.isfile(os.path.join(cache, 'test-images.npy'))
    assert not any(f.endswith('.npy') for f in os.listdir(
        os.path.join(datasets.get_dataset_root(), 'mnist')))


def test_the_tests_never_write_into_a_writable_dataset_root(tmp_path, monkeypatch,
                                                          make_read_only_view):
    # A writable root, as a user's own copy or a container run as root has.
    source = tmp_path / 'source'
    (source / 'mnist').mkdir(parents=True)
    originals = os.path.join(datasets.get_dataset_root(), 'mnist')
    names = sorted(os.listdir(originals))
    for name in names:
        os.symlink(os.path.join(originals, name), source / 'mnist' / name)
    make_read_only_view(str(source), str(tmp_path / 'view'))
    monkeypatch.setenv('CHAINVISION_DATASET_ROOT', str(tmp_path / 'view'))
    monkeypatch.setenv('CHAINVISION_CACHE_DIR', str(tmp_path / 'cache'))
    images, _ = datasets.load_arrays('mnist', 'test')
    assert isinstance(images, numpy.memmap) and len(images) == 10000
    assert sorted(os.listdir(source / 'mnist')) == names
    assert os.path.isfile(tmp_path / 'cache' / 'arrays' / 'mnist' / 'test-images.npy')


def test_get_mnist_matches_chainer_layout_and_scaling():
    train, test = datasets.get_mnist()
    assert len(train) == 60000 and len(test) == 10000
    x, t = train[0]
    raw = datasets.load_arrays('mnist')[0][0]
    assert x.shape == (784,) and x.dtype == numpy.float32 and t.dtype == numpy.int32
    numpy.testing.assert_array_equal(x, raw.reshape(-1).astype(numpy.float32) * (1. / 255.))
    assert int(t) == 5  # the first MNIST training digit is a 5
    # The other layouts, on a slice (the conversion is the one get_mnist uses).
    head, labels = datasets.load_arrays('mnist')[0][:10], datasets.load_arrays('mnist')[1][:10]
    rgb = to_chainer_dataset(head, labels, False, 3, 2., None, numpy.int32, True)
    assert rgb.shape == (10, 3, 28, 28) and rgb.max() == pytest.approx(2.)
    numpy.testing.assert_array_equal(rgb[:, 0], rgb[:, 2])
    square = to_chainer_dataset(head, labels, True, 2, 1., numpy.float64, numpy.int64, False)
    assert square[0][0].shape == (28, 28) and square[0][0].dtype == numpy.float64
    with pytest.raises(ValueError, match='ndim'):
        to_chainer_dataset(head, labels, True, 4, 1., None, numpy.int32, False)


def test_get_fashion_mnist_and_its_labels():
    train, _ = datasets.get_fashion_mnist(ndim=3, label_dtype=numpy.int64)
    x, t = train[0]
    assert x.shape == (1, 28, 28) and t.dtype == numpy.int64
    assert datasets.get_fashion_mnist_labels()[9] == 'Ankle boot'


def test_get_cifar10_matches_chainer():
    train, test = datasets.get_cifar10()
    x, t = test[0]
    assert x.shape == (3, 32, 32) and x.dtype == numpy.float32 and t.dtype == numpy.int32
    assert x[:, 0, 0] * 255 == pytest.approx([158, 112, 49])
    images, labels = datasets.load_arrays('cifar10', 'test')
    flat = _cifar_to_chainer(images[:4], labels[:4], False, 1, 255., None)
    assert flat.shape == (4, 3072) and flat[0, 0] == pytest.approx(158.)
    with pytest.raises(ValueError, match='ndim'):
        _cifar_to_chainer(images[:4], labels[:4], False, 2, 1., None)


def test_split_indices_is_a_reproducible_partition():
    train, val = datasets.split_indices(50000, 45000, seed=0)
    assert len(train) == 45000 and len(val) == 5000
    assert len(numpy.union1d(train, val)) == 50000
    numpy.testing.assert_array_equal(datasets.split_indices(50000, 45000, seed=0)[1], val)
    assert not numpy.array_equal(datasets.split_indices(50000, 45000, seed=1)[1], val)


def test_unknown_dataset_names_the_known_ones():
    with pytest.raises(ValueError, match='cifar10.*mnist'):
        datasets.load_arrays('imagenet')
    with pytest.raises(ValueError, match="splits"):
        datasets.load_arrays('mnist', 'val')


def test_lazy_submodules_of_the_package():
    assert chainvision.datasets.TupleDataset is datasets.TupleDataset
    assert chainvision.iterators.SerialIterator.__name__ == 'SerialIterator'
    assert chainvision.dataset.concat_examples.__name__ == 'concat_examples'
