"""The MAC counter and the per-layer table, against hand counts and the
papers' figures."""

import pytest
import torch

import chainvision
import chainvision.functions as F
import chainvision.links as L
from chainvision import models


class SmallNet(chainvision.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.conv = L.Convolution2D(3, 8, 3, pad=1)
            self.grouped = L.Convolution2D(8, 8, 3, stride=2, pad=1, groups=4, nobias=True)
            self.bn = L.BatchNormalization(8)
            self.fc = L.Linear(8 * 4 * 4, 10)

    def forward(self, x):
        h = F.relu(self.bn(self.grouped(self.conv(x))))
        return self.fc(h)


def test_macs_of_convolutions_and_linear_layers_by_hand():
    # conv: 8x8x8 outputs of 3*3*3 products; grouped: 8x4x4 outputs of
    # (8/4)*3*3 products; fc: 10 outputs of 128 products; BN: none.
    assert models.count_macs(SmallNet(), (3, 8, 8)) == 512 * 27 + 128 * 18 + 10 * 128


def test_layer_table_lists_each_leaf_layer_in_call_order():
    rows = models.layer_table(SmallNet(), (3, 8, 8))
    assert [(r.path, r.type, r.output_shape, r.params, r.macs) for r in rows] == [
        ('/conv', 'Convolution2D', (8, 8, 8), 8 * 27 + 8, 512 * 27),
        ('/grouped', 'Convolution2D', (8, 4, 4), 8 * 18, 128 * 18),
        ('/bn', 'BatchNormalization', (8, 4, 4), 16, 0),
        ('/fc', 'Linear', (10,), 1280 + 10, 1280),
    ]


def test_counting_runs_in_inference_mode_and_leaves_the_model_untouched():
    model = SmallNet()
    before = model.bn.avg_mean.clone()
    models.count_macs(model, (3, 8, 8))
    assert torch.equal(model.bn.avg_mean, before)
    assert model.training
    assert all(not m._forward_hooks for m in model.modules())


def test_macs_are_per_image_whatever_the_batch():
    rows = models.layer_table(SmallNet(), (3, 8, 8), batch=4)
    assert sum(r.macs for r in rows) == models.count_macs(SmallNet(), (3, 8, 8))


def test_torch_layers_are_counted_too():
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.Flatten(),
                                torch.nn.Linear(2 * 4 * 4, 3))
    assert models.count_macs(model, (1, 6, 6)) == 32 * 9 + 3 * 32


@pytest.mark.parametrize('name, published, tolerance', [
    ('resnet20', 41e6, 0.02),      # He et al. 2016 CIFAR: ~41M for ResNet-20
    ('resnet50', 4.1e9, 0.01),     # torchvision's ResNet-50 (stride on 3x3): 4.09G
    ('vgg16', 15.5e9, 0.01),       # Simonyan & Zisserman: 15.5G
    ('googlenet', 1.5e9, 0.06),    # Szegedy et al.: "1.5 billion multiply-adds"
])
def test_macs_match_published_figures(name, published, tolerance):
    assert models.info(name).macs == pytest.approx(published, rel=tolerance)


def test_resnet50_with_stride_on_1x1_costs_the_papers_3_8_billion():
    with torch.device('meta'):
        model = models.create('resnet50', stride_in='1x1')
    assert models.count_macs(model, (3, 224, 224)) == pytest.approx(3.86e9, rel=0.01)
