"""DeviceLoader and FolderLoader: epochs, drop_last, seeds, resume and the
real CIFAR-10 statistics."""

import numpy
import pytest
import torch

from chainvision import datasets
from chainvision.dataset import Batch, concat_examples


def _toy(n=10):
    # Image i is filled with the value i.
    images = numpy.repeat(numpy.arange(n, dtype=numpy.uint8), 4).reshape(n, 1, 2, 2)
    return images, numpy.arange(n) % 3


def _labels(loader, n):
    return [loader.next()[1].tolist() for _ in range(n)]


def test_epochs_end_with_a_partial_batch():
    loader = datasets.DeviceLoader(*_toy(), batch_size=4, shuffle=False)
    assert len(loader) == 3
    x, t = loader.next()
    assert x.shape == (4, 1, 2, 2) and x.dtype == torch.float32 and t.dtype == torch.int64
    torch.testing.assert_close(x[:, 0, 0, 0], torch.arange(4.) / 255)
    sizes, details, new_epochs = [4], [loader.epoch_detail], [loader.is_new_epoch]
    for _ in range(3):
        sizes.append(len(loader.next()[0]))
        details.append(loader.epoch_detail)
        new_epochs.append(loader.is_new_epoch)
    assert sizes == [4, 4, 2, 4]
    assert details == [0.4, 0.8, 1.0, 1.4] and new_epochs == [False, False, True, False]
    assert loader.previous_epoch_detail == 1.0


def test_drop_last_and_no_repeat():
    loader = datasets.DeviceLoader(*_toy(), batch_size=4, drop_last=True, repeat=False, seed=1)
    batches = [t.tolist() for _, t in loader]
    assert len(batches) == 2 == len(loader) and all(len(b) == 4 for b in batches)
    loader.reset()
    assert [t.tolist() for _, t in loader] == batches
    with pytest.raises(ValueError, match='gives no batch'):
        datasets.DeviceLoader(*_toy(3), batch_size=4, drop_last=True)


def test_each_shuffled_epoch_is_a_permutation():
    images, labels = _toy(10)
    loader = datasets.DeviceLoader(images, numpy.arange(10), batch_size=3)
    for _ in range(3):
        seen = sum((_labels(loader, 1)[0] for _ in range(4)), [])
        assert sorted(seen) == list(range(10)) and loader.is_new_epoch


def test_fixed_seed_gives_identical_batches():
    images = numpy.random.RandomState(0).randint(0, 256, (40, 3, 8, 8)).astype(numpy.uint8)
    aug = datasets.Augmentation(crop_padding=2, flip=True, cutout=3)

    def first_batches(seed):
        loader = datasets.DeviceLoader(images, numpy.zeros(40), 16, aug, seed=seed)
        return [loader.next()[0] for _ in range(4)]

    assert all(torch.equal(a, b) for a, b in zip(first_batches(5), first_batches(5)))
    assert not torch.equal(first_batches(5)[0], first_batches(6)[0])


def test_batches_pass_through_the_default_converter():
    loader = datasets.DeviceLoader(*_toy(), batch_size=4)
    batch = loader.next()
    assert isinstance(batch, Batch)
    x, t = concat_examples(batch, device='cpu')
    assert x is batch[0] and t is batch[1]
    assert len(loader.dataset) == 10


def test_cifar10_loader_normalises_with_the_training_statistics():
    loader = datasets.DeviceLoader.from_dataset('cifar10', 'test', batch_size=10000,
                                                shuffle=False, repeat=False)
    x, t = loader.next()
    assert x.shape == (10000, 3, 32, 32)
    # The test split's statistics are close to the training split's.
    torch.testing.assert_close(x.mean((0, 2, 3)), torch.zeros(3), atol=0.02, rtol=0)
    torch.testing.assert_close(x.std((0, 2, 3)), torch.ones(3), atol=0.02, rtol=0)


def test_validation_split_loader_uses_only_its_indices():
    _, val = datasets.split_indices(50000, 45000, seed=0)
    loader = datasets.DeviceLoader.from_dataset('cifar10', batch_size=1000, indices=val,
                                                normalize=False, shuffle=False, repeat=False)
    labels = torch.cat([t for _, t in loader])
    assert len(labels) == 5000
    assert torch.equal(labels, torch.as_tensor(datasets.load_arrays('cifar10')[1][val]))


def test_per_pixel_mean_normalisation():
    images = numpy.random.RandomState(0).randint(0, 256, (6, 3, 4, 4)).astype(numpy.uint8)
    mean_image = images.mean(0) / 255.
    loader = datasets.DeviceLoader(images, numpy.zeros(6), 6, mean=mean_image,
                                   std=numpy.ones((3, 4, 4)), shuffle=False)
    x, _ = loader.next()
    torch.testing.assert_close(x, torch.as_tensor(images / 255. - mean_image, dtype=torch.float32))
    assert x.mean(0).abs().max() < 1e-6


def test_bad_inputs_are_refused_with_a_reason():
    with pytest.raises(ValueError, match='empty dataset'):
        datasets.DeviceLoader(numpy.zeros((0, 1, 2, 2), numpy.uint8), numpy.zeros(0), 4)
    with pytest.raises(ValueError, match=r'\(N, C, H, W\)'):
        datasets.DeviceLoader(numpy.zeros((3, 2, 2), numpy.uint8), numpy.zeros(3), 4)
    with pytest.raises(ValueError, match='batch_size must be positive'):
        datasets.DeviceLoader(*_toy(), batch_size=0)
