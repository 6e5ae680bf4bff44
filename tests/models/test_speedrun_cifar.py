"""speedrun_cifar (airbench94's network): its layout, frozen whitening filters,
identity-initialised convolutions, low-momentum BatchNorm and scaled logits.
(Parameter count, forward and backward: tests/models/test_model_zoo.py.)"""

import torch

import chainvision
import chainvision.functions as F
from chainvision import models
from chainvision.models.speedrun_cifar import PartialDirac


def test_blocks_halve_the_map_from_31_to_3_and_pool_to_one_vector():
    torch.manual_seed(0)
    model = models.create('speedrun_cifar')
    h = F.gelu(model.whiten(torch.randn(2, 3, 32, 32)))
    assert h.shape == (2, 24, 31, 31)
    shapes = []
    for block in (model.block1, model.block2, model.block3):
        h = block(h)
        shapes.append(tuple(h.shape[1:]))
    assert shapes == [(64, 15, 15), (256, 7, 7), (256, 3, 3)]


def test_whitening_filters_are_frozen_but_saved():
    model = models.create('speedrun_cifar')
    assert model.whiten.W.shape == (24, 3, 2, 2)
    assert not model.whiten.W.requires_grad and model.whiten.b.requires_grad
    F.sum(model(torch.randn(2, 3, 32, 32))).backward()
    assert model.whiten.W.grad is None and model.whiten.b.grad is not None
    assert 'whiten.W' in model.state_dict()


def test_partial_dirac_passes_the_first_channels_through():
    torch.manual_seed(0)
    weight = PartialDirac()(torch.empty(8, 5, 3, 3))
    x = torch.randn(2, 5, 6, 6)
    y = F.convolution_2d(x, weight, pad=1)
    torch.testing.assert_close(y[:, :5], x)
    # The other filters keep PyTorch's default bound 1 / sqrt(fan_in).
    assert weight[5:].abs().max() <= 1 / (5 * 9) ** 0.5


def test_batch_norm_has_no_scale_and_running_statistics_decay_0_6():
    model = models.create('speedrun_cifar')
    norm = model.block2.norm1
    assert norm.gamma is None and norm.beta.shape == (256,)
    x = torch.randn(4, 256, 3, 3) + 2.
    norm(x)
    torch.testing.assert_close(norm.avg_mean, 0.4 * x.mean(dim=(0, 2, 3)))


def test_logits_are_the_head_output_divided_by_the_width():
    torch.manual_seed(0)
    model = models.create('speedrun_cifar', widths=(8, 16, 32), num_classes=5)
    x = torch.randn(3, 3, 32, 32)
    with chainvision.using_config('train', False), torch.no_grad():
        h = model.block3(model.block2(model.block1(F.gelu(model.whiten(x)))))
        features = F.max_pooling_2d(h, 3, cover_all=False).reshape(3, 32)
        expected = features @ model.head.W.T / 32
        torch.testing.assert_close(model(x), expected)
