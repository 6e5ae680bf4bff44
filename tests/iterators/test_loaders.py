"""The loaders as iterators: exact resume after serialization (position,
order and augmentation draws), and worker-count independence."""

import numpy
import pytest
import torch
from PIL import Image

from chainvision import datasets, serializers


@pytest.mark.parametrize('stop_after', [2, 4])
def test_device_loader_resumes_with_the_same_batches(save_and_restore, stop_after):
    images = numpy.random.RandomState(0).randint(0, 256, (30, 3, 8, 8)).astype(numpy.uint8)
    aug = datasets.Augmentation(crop_padding=2, flip=True, resized_crop_scale=(0.5, 1.))
    loader = datasets.DeviceLoader(images, numpy.arange(30), 8, aug, seed=0)
    for _ in range(stop_after):
        loader.next()
    resumed = datasets.DeviceLoader(images, numpy.arange(30), 8, aug, seed=123)
    save_and_restore(loader, resumed)
    assert resumed.epoch_detail == loader.epoch_detail
    for _ in range(6):  # across the end of the epoch
        (x1, t1), (x2, t2) = resumed.next(), loader.next()
        assert torch.equal(t1, t2) and torch.equal(x1, x2)


@pytest.fixture(scope='module')
def varied_folder(tmp_path_factory):
    root = tmp_path_factory.mktemp('varied')
    rng = numpy.random.RandomState(0)
    for label in ('a', 'b'):
        (root / label).mkdir()
        for i in range(5):
            size = (rng.randint(12, 30), rng.randint(12, 30))
            Image.fromarray(rng.randint(0, 256, size + (3,)).astype(numpy.uint8)).save(
                root / label / '{}.png'.format(i))
    return str(root)


def test_folder_loader_is_independent_of_the_number_of_workers(varied_folder):
    aug = datasets.Augmentation(flip=True, resized_crop_scale=(0.3, 1.), cutout=3)

    def batches(workers):
        loader = datasets.FolderLoader(varied_folder, 4, image_size=10, augmentation=aug,
                                       mean=[0.5] * 3, std=[0.25] * 3, num_workers=workers)
        return [loader.next() for _ in range(4)]

    serial, parallel = batches(0), batches(2)
    assert serial[0][0].shape == (4, 3, 10, 10) and serial[2][0].shape == (2, 3, 10, 10)
    for (x1, t1), (x2, t2) in zip(serial, parallel):
        assert torch.equal(x1, x2) and torch.equal(t1, t2)


def test_folder_loader_resizes_without_augmentation_and_resumes(save_and_restore, varied_folder):
    loader = datasets.FolderLoader(varied_folder, 3, image_size=(8, 6), num_workers=0, seed=4)
    x, _ = loader.next()
    assert x.shape == (3, 3, 8, 6) and 0 <= x.min() and x.max() <= 1
    loader.next()
    resumed = datasets.FolderLoader(varied_folder, 3, image_size=(8, 6), num_workers=0)
    save_and_restore(loader, resumed)
    for _ in range(4):
        (x1, t1), (x2, t2) = resumed.next(), loader.next()
        assert torch.equal(x1, x2) and torch.equal(t1, t2)


def test_device_loader_resumes_through_an_npz_snapshot(tmp_path):
    images = numpy.random.RandomState(1).randint(0, 256, (20, 3, 6, 6)).astype(numpy.uint8)
    aug = datasets.Augmentation(crop_padding=1, flip=True, cutout=2)
    loader = datasets.DeviceLoader(images, numpy.arange(20), 6, aug, seed=0)
    loader.next()
    serializers.save_npz(str(tmp_path / 'loader.npz'), loader)
    resumed = datasets.DeviceLoader(images, numpy.arange(20), 6, aug, seed=9)
    serializers.load_npz(str(tmp_path / 'loader.npz'), resumed)
    for _ in range(5):
        (x1, t1), (x2, t2) = resumed.next(), loader.next()
        assert torch.equal(x1, x2) and torch.equal(t1, t2)


@pytest.mark.gpu
def test_device_loader_on_cuda_is_reproducible_and_resumes(save_and_restore):
    images = numpy.random.RandomState(0).randint(0, 256, (40, 3, 8, 8)).astype(numpy.uint8)
    aug = datasets.Augmentation(crop_padding=2, padding_mode='reflect', flip=True,
                                resized_crop_scale=(0.5, 1.), cutout=2)

    def make(seed):
        return datasets.DeviceLoader(images, numpy.arange(40), 16, aug, seed=seed, device='cuda')

    loader = make(0)
    x, t = loader.next()
    assert x.device.type == 'cuda' and t.device.type == 'cuda'
    assert torch.equal(make(0).next()[0], x)
    resumed = make(1)
    save_and_restore(loader, resumed)
    for _ in range(4):
        (x1, t1), (x2, t2) = resumed.next(), loader.next()
        assert torch.equal(x1, x2) and torch.equal(t1, t2)
