"""Each family's architecture as its paper describes it: forward passes
against plain-PyTorch references, map sizes, channel counts, shortcuts,
initialization and the options."""

import math

import pytest
import torch
import torch.nn.functional as torch_f

import chainvision
from chainvision import models
from chainvision.models._base import he_normal
from chainvision.models.resnet_cifar import ProjectionShortcut, ZeroPadShortcut


def _output_shapes(name, input_size, **hparams):
    with torch.device('meta'):
        model = models.create(name, **hparams)
    return {row.path: row.output_shape for row in models.layer_table(model, input_size)}


def _randomize_running_statistics(model):
    for link in model.links():
        if isinstance(link, chainvision.links.BatchNormalization):
            link.avg_mean.uniform_(-0.5, 0.5)
            link.avg_var.uniform_(0.5, 2.0)
            link.gamma.data.uniform_(0.5, 1.5)
            link.beta.data.uniform_(-0.5, 0.5)


# -- LeNet-5 ---------------------------------------------------------------------

def test_lenet5_computes_the_tutorials_network():
    model = models.create('lenet5')
    x = torch.randn(3, 1, 28, 28)
    h = torch.sigmoid(torch_f.conv2d(x, model.conv1.W, model.conv1.b))
    h = torch.sigmoid(torch_f.conv2d(torch_f.max_pool2d(h, 2), model.conv2.W, model.conv2.b))
    h = torch.sigmoid(torch_f.conv2d(torch_f.max_pool2d(h, 2), model.conv3.W, model.conv3.b))
    h = torch.sigmoid(torch_f.linear(h.flatten(1), model.fc4.W, model.fc4.b))
    expected = torch_f.linear(h, model.fc5.W, model.fc5.b)
    torch.testing.assert_close(model(x), expected)


# -- CIFAR ResNets -----------------------------------------------------------------

def _reference_resnet20_option_a(model, x):
    """He et al.'s ResNet-20 with option A in plain PyTorch (inference)."""
    def bn(h, link):
        return torch_f.batch_norm(h, link.avg_mean, link.avg_var, link.gamma, link.beta,
                                  False, 0.0, link.eps)

    h = torch.relu(bn(torch_f.conv2d(x, model.conv1.W, padding=1), model.bn1))
    for stage in (model.stage1, model.stage2, model.stage3):
        for block in stage:
            stride = 2 if block.conv1.W.shape[0] != h.shape[1] else 1
            out = torch.relu(bn(torch_f.conv2d(h, block.conv1.W, stride=stride, padding=1),
                                block.bn1))
            out = bn(torch_f.conv2d(out, block.conv2.W, padding=1), block.bn2)
            shortcut = h[:, :, ::stride, ::stride]
            extra = out.shape[1] - shortcut.shape[1]
            h = torch.relu(out + torch_f.pad(shortcut, (0, 0, 0, 0, 0, extra)))
    return torch_f.linear(h.mean((2, 3)), model.fc.W, model.fc.b)


def test_resnet20_computes_he_et_al_option_a_network():
    model = models.create('resnet20')
    _randomize_running_statistics(model)
    model.eval()
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        torch.testing.assert_close(model(x), _reference_resnet20_option_a(model, x))


def test_option_a_shortcut_subsamples_and_appends_zero_channels():
    x = torch.randn(2, 16, 8, 8)
    y = ZeroPadShortcut(16, 32, 2)(x)
    assert y.shape == (2, 32, 4, 4)
    torch.testing.assert_close(y[:, :16], x[:, :, ::2, ::2])
    assert not y[:, 16:].any()
    assert list(ZeroPadShortcut(16, 32, 2).parameters()) == []


def test_option_a_shortcut_keeps_channels_last_forward_and_backward():
    # Its gradient meets the block's channels-last gradient: a contiguous one
    # would send the sum down PyTorch's slow mixed-layout path.
    x = torch.randn(2, 16, 8, 8).contiguous(memory_format=torch.channels_last)
    x.requires_grad_()
    y = ZeroPadShortcut(16, 32, 2)(x)
    y.backward(torch.ones_like(y))
    assert x.grad.is_contiguous(memory_format=torch.channels_last)
    expected = torch.zeros(2, 16, 8, 8)
    expected[:, :, ::2, ::2] = 1
    torch.testing.assert_close(x.grad, expected)


def test_option_b_projects_with_a_1x1_convolution_and_batchnorm():
    model = models.create('resnet20', shortcut='B')
    shortcut = model.stage2[0].shortcut
    assert isinstance(shortcut, ProjectionShortcut)
    assert shortcut.conv.W.shape == (32, 16, 1, 1) and shortcut.conv.b is None
    assert shortcut.bn.gamma.shape == (32,)
    assert model.count_params() == 269_722 + (16 * 32 + 2 * 32) + (32 * 64 + 2 * 64)


def test_a_pre_activation_projection_needs_its_activation():
    with pytest.raises(ValueError, match="batch_norm='before' applies the activation"):
        ProjectionShortcut(16, 32, 2, None, batch_norm='before')
    x = torch.randn(2, 16, 8, 8)
    shortcut = ProjectionShortcut(16, 32, 2, None, act=torch.relu, batch_norm='before')
    assert shortcut(x).shape == (2, 32, 4, 4)


def test_resnet_stages_work_on_32_16_and_8_pixel_maps():
    shapes = _output_shapes('resnet56', (3, 32, 32))
    assert shapes['/stage1/8/conv2'] == (16, 32, 32)
    assert shapes['/stage2/0/conv1'] == (32, 16, 16)
    assert shapes['/stage3/8/conv2'] == (64, 8, 8)
    assert len([p for p in shapes if p.endswith('/conv1') and '/stage' in p]) == 27


def test_uva_plain_resnet_uses_a_biased_1x1_convolution_shortcut():
    shortcut = models.create('resnet_cifar').stage3[0].shortcut
    assert shortcut.conv.W.shape == (64, 32, 1, 1) and shortcut.conv.b.shape == (64,)
    assert not hasattr(shortcut, 'bn')


def test_preact_resnet_is_resnet_cifar_with_preact_blocks():
    alias = models.create('preact_resnet_cifar')
    configured = models.create('resnet_cifar', block='preact')
    assert [(p, w.shape) for p, w in alias.namedparams()] == [
        (p, w.shape) for p, w in configured.namedparams()]
    assert not hasattr(alias, 'bn1')          # no BN-act after the input conv
    assert alias.stage2[0].bn1.gamma.shape == (16,)     # BN on the block's input
    assert alias.stage2[0].shortcut.bn.gamma.shape == (16,)


def test_resnet_cifar_rejects_unknown_blocks_and_shortcuts():
    with pytest.raises(ValueError, match="block must be 'plain' or 'preact', got 'wide'"):
        models.create('resnet_cifar', block='wide')
    with pytest.raises(ValueError, match="shortcut must be 'A', 'B', 'conv' or 'preact'"):
        models.create('resnet20', shortcut='C')


def test_resnets_are_he_initialized_with_fan_out():
    model = models.create('resnet110')
    weights = torch.cat([block.conv2.W.flatten() for block in model.stage3])
    assert weights.std().item() == pytest.approx(math.sqrt(2.0 / (64 * 9)), rel=0.02)
    for link in model.links():
        if isinstance(link, chainvision.links.BatchNormalization):
            assert (link.gamma == 1).all() and (link.beta == 0).all()


@pytest.mark.parametrize('act_fn, gain', [('relu', math.sqrt(2)), ('tanh', 5 / 3),
                                          ('leakyrelu', math.sqrt(2 / (1 + 0.01 ** 2)))])
def test_he_normal_uses_the_activations_gain(act_fn, gain):
    weights = torch.empty(256, 128, 3, 3)
    he_normal(act_fn, 'fan_in')(weights)
    assert weights.std().item() == pytest.approx(gain / math.sqrt(128 * 9), rel=0.02)


# -- ImageNet ResNets --------------------------------------------------------------

@pytest.mark.parametrize('stride_in, res3_conv1', [('3x3', (128, 56, 56)),
                                                   ('1x1', (128, 28, 28))])
def test_resnet50_layouts_place_the_stride_on_their_convolution(stride_in, res3_conv1):
    shapes = _output_shapes('resnet50', (3, 224, 224), stride_in=stride_in)
    assert shapes['/conv1'] == (64, 112, 112)
    assert shapes['/res2/a/conv1'] == (64, 56, 56)
    assert shapes['/res3/a/conv1'] == res3_conv1
    assert shapes['/res3/a/conv2'] == (128, 28, 28)
    assert shapes['/res3/a/conv4'] == (512, 28, 28)
    assert shapes['/res5/b2/conv3'] == (2048, 7, 7)


def test_resnet_rejects_an_unknown_layout():
    with pytest.raises(ValueError, match="stride_in must be '3x3' or '1x1', got 'both'"):
        models.create('resnet50', stride_in='both')


# -- GoogLeNets ----------------------------------------------------------------------

def test_googlenet_follows_table_1_of_the_paper():
    shapes = _output_shapes('googlenet', (3, 224, 224))
    assert shapes['/conv2'] == (192, 56, 56)
    assert shapes['/inc3a/conv1'] == (64, 28, 28)
    assert shapes['/inc4a/conv3'] == (208, 14, 14)
    assert shapes['/inc5b/projp'] == (128, 7, 7)
    assert shapes['/loss3_fc'] == (1000,)


def test_googlenet_auxiliary_classifiers_answer_only_in_training():
    model = models.create('googlenet', aux_classifiers=True, num_classes=7)
    x = torch.randn(1, 3, 224, 224)
    with torch.no_grad():
        outputs = model(x)
        assert [y.shape for y in outputs] == [(1, 7)] * 3
        model.eval()
        assert model(x).shape == (1, 7)


def test_googlenet_cifar_pools_32_to_16_to_8():
    shapes = _output_shapes('googlenet_cifar', (3, 32, 32))
    assert shapes['/input_conv/conv'] == (64, 32, 32)
    assert shapes['/blocks/1/conv1/conv'] == (24, 32, 32)
    assert shapes['/blocks/2/conv1/conv'] == (24, 16, 16)
    assert shapes['/blocks/6/conv1/conv'] == (32, 8, 8)
    assert shapes['/blocks/7/projp/bn'] == (16, 8, 8)


# -- DenseNets -------------------------------------------------------------------------

@pytest.mark.parametrize('name, final_channels, size', [
    ('densenet_cifar', 184, 4),     # 32 +96 ->64 +96 ->80 +96 ->88 +96
    ('densenet_bc', 342, 8),        # 24 +192 ->108 +192 ->150 +192
    ('densenet121', 1024, 7),
])
def test_densenet_channel_arithmetic(name, final_channels, size):
    model_info = models.info(name)
    shapes = _output_shapes(name, model_info.input_size)
    assert shapes['/bn'] == (final_channels, size, size)


def test_densenet_bc_depth_must_be_6n_plus_4():
    with pytest.raises(ValueError, match='depth must be 6n \\+ 4'):
        models.create('densenet_bc', depth=50)


# -- VGG ---------------------------------------------------------------------------------

def test_vgg_dropout_is_on_in_training_and_off_after_eval():
    model = models.create('vgg16', input_size=32, num_classes=4)
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        assert not torch.equal(model(x), model(x))
        model.eval()
        assert torch.equal(model(x), model(x))


def test_vgg_rejects_other_input_sizes_and_says_how_to_build_for_them():
    model = models.create('vgg16_cifar')
    with pytest.raises(ValueError, match='takes 32x32 images.*got 64x64.*input_size=64'):
        model(torch.zeros(1, 3, 64, 64))


def test_vgg16_has_chainers_link_names():
    names = [path for path, _ in models.create('vgg16_cifar').namedparams()]
    assert names[:3] == ['/conv1_1/W', '/conv1_1/b', '/bn1_1/gamma']
    assert names[-2:] == ['/fc6/W', '/fc6/b']
