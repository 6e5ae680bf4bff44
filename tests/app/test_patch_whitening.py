"""Patch whitening: the filters decorrelate real CIFAR-10 patches to unit
variance (up to eps), in the layout speedrun_cifar's first convolution uses."""

import numpy
import pytest
import torch

import chainvision.functions as F
from chainvision import datasets, models
from chainvision.app.patch_whitening import (
    image_patches, init_patch_whitening, patch_whitening_filters)


@pytest.fixture(scope='module')
def cifar_images():
    images, _ = datasets.load_arrays('cifar10', 'train')
    mean, std = datasets.train_mean_std('cifar10')
    return datasets.loader.augment.normalize(torch.from_numpy(numpy.array(images[:500])), mean, std)


def test_whitened_patches_have_identity_second_moment_up_to_eps(cifar_images):
    eps = 5e-4
    filters = patch_whitening_filters(cifar_images, 2, eps)
    assert filters.shape == (24, 3, 2, 2)
    patches = image_patches(cifar_images, 2).double()
    eigenvalues = torch.linalg.eigvalsh(patches.T @ patches / len(patches)).flip(0)
    responses = patches @ filters[:12].reshape(12, -1).double().T
    moment = responses.T @ responses / len(responses)
    # Exactly diag(l / (l + eps)), l the eigenvalues in decreasing order...
    torch.testing.assert_close(moment, torch.diag(eigenvalues / (eigenvalues + eps)),
                               atol=1e-4, rtol=1e-4)
    # ...so the identity up to eps / (l_min + eps) (CIFAR's smallest is about 0.01).
    assert (moment - torch.eye(12, dtype=moment.dtype)).abs().max() <= (
        eps / (eigenvalues.min() + eps) + 1e-4)
    torch.testing.assert_close(filters[12:], -filters[:12])


def test_the_first_convolution_responds_with_the_whitened_patches(cifar_images):
    model = models.create('speedrun_cifar')
    init_patch_whitening(model.whiten, cifar_images[:50])
    with torch.no_grad():
        maps = F.convolution_2d(cifar_images[:2], model.whiten.W)
    patches = image_patches(cifar_images[:2], 2)
    expected = patches @ model.whiten.W.reshape(24, -1).T
    torch.testing.assert_close(maps.permute(0, 2, 3, 1).reshape(-1, 24), expected,
                               atol=1e-4, rtol=1e-4)


def test_a_convolution_of_another_shape_is_refused(cifar_images):
    model = models.create('speedrun_cifar')
    with pytest.raises(ValueError, match=r'W of shape \(2 C k k, C, k, k\)'):
        init_patch_whitening(model.block1.conv1, cifar_images[:10])
