"""The fast inference form (``models.infer``, which ``predict`` runs): the
plain forward's logits from a copy with BatchNorm folded into the
convolutions, for every zoo model; folding only where a convolution's
output feeds its BatchNorm alone; the cache following weight changes; the
network and its training graph untouched; and the zoo's in-place
activations giving the out-of-place values and gradients."""

import copy
import gc
import io
import weakref

import numpy
import pytest
import torch

import chainvision
import chainvision.functions as F
import chainvision.links as L
from chainvision import backend, models, optimizers, serializers
from chainvision.models import _inference
from chainvision.models._base import ACTIVATIONS

# Inputs as in test_model_zoo: 32x32 is enough for the ImageNet networks
# (global average pooling); VGG's fully connected layers are built for it.
SMALL = {
    'lenet5': ({}, (1, 28, 28)),
    'vgg16': ({'input_size': 32}, (3, 32, 32)),
    'vgg16_bn': ({'input_size': 32}, (3, 32, 32)),
}


def build(name, **extra):
    hparams, input_size = SMALL.get(name, ({}, (3, 32, 32)))
    torch.manual_seed(0)
    return models.create(name, **hparams, **extra), torch.randn((2,) + input_size)


def plain_logits(network, x):
    with chainvision.using_config('train', False), torch.no_grad():
        return network(x)


def give_batch_norms_statistics(network):
    """Non-trivial running statistics and affine parameters (mean N(0,
    0.1), variance U(0.5, 2), gamma U(0.2, 0.6), beta N(0, 0.1)): folding
    has something to fold, and the gammas below 1 keep inference finite and
    well conditioned even in ResNet-1202, as a trained network's are (from
    the initial statistics or from those of a few random images, a deep
    network's fp32 logits are already 1e-4 from its fp64 ones)."""
    generator = torch.Generator().manual_seed(0)
    for link in network.modules():
        if isinstance(link, L.BatchNormalization):
            size = link.avg_mean.numel()
            with torch.no_grad():
                link.avg_mean.copy_(torch.randn(size, generator=generator) * 0.1)
                link.avg_var.copy_(torch.rand(size, generator=generator) * 1.5 + 0.5)
                if link.gamma is not None:
                    link.gamma.copy_(torch.rand(size, generator=generator) * 0.4 + 0.2)
                if link.beta is not None:
                    link.beta.copy_(torch.randn(size, generator=generator) * 0.1)


# ResNet-1202 (ResNet-20's blocks, 40 CPU-seconds here) is left to
# test_model_zoo, which compares its predict(precision='fp32') with the
# plain forward's softmax.
@pytest.mark.parametrize('name', [name for name in models.names() if name != 'resnet1202'])
def test_fp32_form_gives_the_plain_logits_within_1e_4(name):
    network, x = build(name)
    give_batch_norms_statistics(network)
    expected = plain_logits(network, x)
    logits = models.infer(network, x, precision='fp32')
    assert logits.dtype == torch.float32
    assert torch.isfinite(expected).all()
    assert (logits - expected).abs().max() <= 1e-4 * expected.abs().max()


@pytest.mark.parametrize('name, folded', [
    ('resnet20', 19),             # the stem and both BatchNorms of 9 blocks
    ('resnet50', 53),             # every one: each follows its convolution
    ('preact_resnet_cifar', 9),   # only bn2: bn1 takes a block's input
    ('densenet121', 59),          # bn2 of each of 58 layers, the stem's
    ('speedrun_cifar', 3),        # norm2 only: pooling stands before norm1
])
def test_batch_norms_are_folded_where_a_convolution_feeds_them_alone(name, folded):
    network, x = build(name)
    assert len(_inference.foldable_pairs(copy.deepcopy(network).eval(), x[:1])) == folded


class ConvBN(chainvision.Chain):
    """conv -> bn, with the convolution's output also read elsewhere
    (``reuse``) or not (``None``)."""

    def __init__(self, reuse):
        super().__init__()
        self.reuse = reuse
        self.kept = []
        with self.init_scope():
            self.conv = L.Convolution2D(3, 4, 3, pad=1)
            self.bn = L.BatchNormalization(4)

    def forward(self, x):
        h = self.conv(x)
        if self.reuse == 'scaled in place':
            h.mul_(2)
        y = self.bn(h)
        if self.reuse == 'added':
            y = y + h
        elif self.reuse == 'kept':
            self.kept[:] = [h]
        elif self.reuse == 'called twice':
            y = y + self.bn(self.conv(x))
        return y


@pytest.mark.parametrize('reuse, folded', [
    (None, 1), ('added', 0), ('kept', 0), ('scaled in place', 0), ('called twice', 0)])
def test_a_convolution_output_read_elsewhere_is_not_folded(reuse, folded):
    torch.manual_seed(0)
    network = ConvBN(reuse)
    network.bn.avg_mean.normal_()
    network.bn.avg_var.uniform_(0.5, 2.0)
    x = torch.randn(2, 3, 6, 6)
    assert len(_inference.foldable_pairs(copy.deepcopy(network).eval(), x[:1])) == folded
    expected = plain_logits(network, x)
    torch.testing.assert_close(models.infer(network, x, precision='fp32'), expected)


def test_folding_scales_the_weights_and_shifts_the_bias():
    conv = L.Convolution2D(1, 2, 1, nobias=True, initialW=numpy.array([[[[2.]]], [[[3.]]]]))
    bn = L.BatchNormalization(2, eps=0.0, initial_gamma=numpy.array([1., 4.]),
                              initial_beta=numpy.array([0.5, -1.]),
                              initial_avg_mean=numpy.array([1., 2.]),
                              initial_avg_var=numpy.array([4., 16.]))
    _inference.fold_batch_normalization(conv, bn)
    # gamma / sqrt(var) = 0.5 and 1: W = (2 * 0.5, 3 * 1); b = beta - mean * scale
    assert conv.W.flatten().tolist() == [1.0, 3.0]
    assert conv.b.tolist() == [0.0, -3.0]
    x = torch.ones(1, 2, 1, 1)
    assert bn(x) is x


def test_the_network_and_its_training_graph_are_left_as_they_are():
    network, x = build('resnet20')
    untouched = copy.deepcopy(network)
    network.predict(x)
    assert network.training and chainvision.config.train
    assert network.state_dict().keys() == untouched.state_dict().keys()
    for key, value in untouched.state_dict().items():
        assert torch.equal(network.state_dict()[key], value)
    for model in (network, untouched):
        model.cleargrads()
        F.softmax_cross_entropy(model(x), torch.arange(2)).backward()
    for mine, theirs in zip(network.params(), untouched.params()):
        assert torch.equal(mine.grad, theirs.grad)


def test_the_cached_form_is_reused_until_a_weight_changes():
    network, x = build('resnet20')
    give_batch_norms_statistics(network)
    models.infer(network, x, precision='fp32')
    form = _inference._FORMS[network][1]
    models.infer(network, x + 1, precision='fp32')
    assert _inference._FORMS[network][1] is form
    models.infer(network, x[:, :, :16, :16], precision='fp32')   # another size
    assert _inference._FORMS[network][1] is not form


def change_by_optimizer(network, x):
    optimizer = optimizers.MomentumSGD(lr=0.1)
    optimizer.setup(network)
    network.cleargrads()
    F.softmax_cross_entropy(network(x), torch.arange(2)).backward()
    optimizer.update()


def change_by_array(network, x):
    network.conv1.W.array[...] = 0.5 * network.conv1.W.array


def change_by_state_dict(network, x):
    state = {key: value * 0.9 if value.is_floating_point() else value
             for key, value in network.state_dict().items()}
    network.load_state_dict(state)


def change_by_npz(network, x):
    other = models.create('resnet20')
    buffer = io.BytesIO()
    serializers.save_npz(buffer, other)
    buffer.seek(0)
    serializers.load_npz(buffer, network)


@pytest.mark.parametrize('change', [change_by_optimizer, change_by_array, change_by_state_dict,
                                    change_by_npz])
def test_the_form_follows_every_weight_change(change):
    network, x = build('resnet20')
    give_batch_norms_statistics(network)
    before = models.infer(network, x, precision='fp32')
    change(network, x)
    expected = plain_logits(network, x)
    assert not torch.allclose(expected, before)
    logits = models.infer(network, x, precision='fp32')
    assert (logits - expected).abs().max() <= 1e-4 * expected.abs().max()


def test_forget_inference_form_drops_the_copy():
    network, x = build('lenet5')
    models.infer(network, x, precision='fp32')
    models.forget_inference_form(network)
    assert network not in _inference._FORMS


def test_the_cache_does_not_keep_the_network_alive():
    network, x = build('lenet5')
    models.infer(network, x, precision='fp32')
    alive = weakref.ref(network)
    del network
    gc.collect()
    assert alive() is None


def test_bf16_form_gives_float32_probabilities_near_fp32():
    network, x = build('resnet20')
    give_batch_norms_statistics(network)
    probabilities = network.predict(x, precision='bf16')
    assert probabilities.dtype == torch.float32
    torch.testing.assert_close(probabilities.sum(dim=1), torch.ones(2))
    assert (probabilities - network.predict(x, precision='fp32')).abs().max() < 0.05


def test_predict_takes_a_numpy_array():
    network, x = build('lenet5')
    torch.testing.assert_close(network.predict(x.numpy(), precision='fp32'),
                               network.predict(x, precision='fp32'))


def test_fp16_form_on_a_cpu_warns_once_naming_the_faster_precision(monkeypatch):
    monkeypatch.setattr(_inference, '_WARNED', set())
    monkeypatch.setattr(torch.ops.mkldnn, '_is_mkldnn_fp16_supported', lambda: False)
    network, x = build('resnet20')
    give_batch_norms_statistics(network)
    expected = network.predict(x, precision='fp32')
    with pytest.warns(UserWarning) as warned:
        probabilities = network.predict(x, precision='fp16')
        network.predict(x[:, :, :16, :16], precision='fp16')    # a second form: no warning
    assert [str(w.message) for w in warned] == [
        '--precision fp16 runs emulated on this CPU (it has no native fp16 instructions): '
        'inference is correct but several times slower than in {0}; --precision {0} (the '
        'default here) is faster.'.format(backend.native_precision(torch.device('cpu')))]
    assert _inference._FORMS[network][1].network.conv1.W.dtype == torch.float16
    assert probabilities.dtype == torch.float32
    assert (probabilities - expected).abs().max() < 0.01


def test_the_nchw_form_keeps_the_plain_layout_and_logits():
    network, x = build('resnet20')
    give_batch_norms_statistics(network)
    logits = models.infer(network, x, precision='fp32', channels_last=False)
    form = _inference._FORMS[network][1].network
    assert form.conv1.W.is_contiguous()
    assert not form.conv1.W.is_contiguous(memory_format=torch.channels_last)
    expected = plain_logits(network, x)
    assert (logits - expected).abs().max() <= 1e-4 * expected.abs().max()


def test_fast_inference_is_a_module_computing_the_cached_form():
    network, x = build('lenet5')
    fast = models.FastInference(network, precision='fp32')
    assert fast.network is network and len(list(fast.parameters())) == len(list(
        network.parameters()))
    torch.testing.assert_close(fast(x), models.infer(network, x, precision='fp32'),
                               rtol=0, atol=0)
    assert _inference._FORMS[network][0][-2:] == ('fp32', True)


@pytest.mark.parametrize('call', [
    lambda network, x: network.predict(x, precision='fp8'),
    lambda network, x: models.FastInference(network, precision='fp8'),
])
def test_an_unknown_precision_is_refused(call):
    network, x = build('lenet5')
    with pytest.raises(ValueError, match=r"precision must be one of 'auto', 'fp32', 'bf16', "
                                         r"'fp16', got 'fp8'\."):
        call(network, x)


# One network per kind of block (the others repeat them; speedrun_cifar's
# GELU has no in-place form).
ONE_PER_BLOCK = ('lenet5', 'resnet20', 'preact_resnet_cifar', 'resnet_cifar', 'resnet50',
                 'googlenet', 'googlenet_cifar', 'densenet_cifar', 'densenet121', 'vgg16_bn')


@pytest.mark.parametrize('name', ONE_PER_BLOCK)
def test_in_place_activations_give_the_out_of_place_values_and_gradients(name):
    """The zoo applies activations and residual additions in place; the
    same network built with the out-of-place activation (a callable) gives
    bitwise the same logits and gradients."""
    in_place, x = build(name)
    out_of_place, _ = build(name, act_fn=ACTIVATIONS[in_place.act_fn])
    results = []
    for network in (in_place, out_of_place):
        torch.manual_seed(1)   # the same dropout masks
        y = network(x)
        F.softmax_cross_entropy(y, torch.arange(2)).backward()
        results.append((y, [p.grad for p in network.params() if p.requires_grad]))
    (y1, grads1), (y2, grads2) = results
    assert torch.equal(y1, y2)
    assert all(torch.equal(g1, g2) for g1, g2 in zip(grads1, grads2))
