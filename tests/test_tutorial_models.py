"""The classic models of Chainer's "Write a ConvNet" tutorial, written as
the tutorial writes them; only the imports differ from Chainer code.

Each model must give (N, classes) scores in training, rows of probabilities
in inference (``config.train = False``), and through ``L.Classifier`` a
scalar loss whose ``backward()`` reaches every parameter.  Small inputs
(28x28 and 32x32) keep the big models fast on a CPU.
"""

from functools import partial

import numpy
import pytest
import torch

import chainvision as chainer
import chainvision.functions as F
import chainvision.links as L
from chainvision import Chain


class LeNet5(Chain):
    def __init__(self):
        super(LeNet5, self).__init__()
        with self.init_scope():
            self.conv1 = L.Convolution2D(in_channels=1, out_channels=6, ksize=5, stride=1)
            self.conv2 = L.Convolution2D(in_channels=6, out_channels=16, ksize=5, stride=1)
            self.conv3 = L.Convolution2D(in_channels=16, out_channels=120, ksize=4, stride=1)
            self.fc4 = L.Linear(None, 84)
            self.fc5 = L.Linear(84, 10)

    def forward(self, x):
        h = F.sigmoid(self.conv1(x))
        h = F.max_pooling_2d(h, ksize=2, stride=2)
        h = F.sigmoid(self.conv2(h))
        h = F.max_pooling_2d(h, ksize=2, stride=2)
        h = F.sigmoid(self.conv3(h))
        h = F.sigmoid(self.fc4(h))
        if chainer.config.train:
            return self.fc5(h)
        return F.softmax(self.fc5(h))


class LeNet5Layers(Chain):
    """LeNet-5 as a list of (name, layer) pairs; the third pooling runs on a
    1x1 map, which Chainer's default cover_all=True keeps at 1x1."""

    def __init__(self):
        super(LeNet5Layers, self).__init__()
        net = [('conv1', L.Convolution2D(1, 6, 5, 1))]
        net += [('_sigm1', F.sigmoid)]
        net += [('_mpool1', partial(F.max_pooling_2d, ksize=2, stride=2))]
        net += [('conv2', L.Convolution2D(6, 16, 5, 1))]
        net += [('_sigm2', F.sigmoid)]
        net += [('_mpool2', partial(F.max_pooling_2d, ksize=2, stride=2))]
        net += [('conv3', L.Convolution2D(16, 120, 4, 1))]
        net += [('_sigm3', F.sigmoid)]
        net += [('_mpool3', partial(F.max_pooling_2d, ksize=2, stride=2))]
        net += [('fc4', L.Linear(None, 84))]
        net += [('_sigm4', F.sigmoid)]
        net += [('fc5', L.Linear(84, 10))]
        with self.init_scope():
            for n in net:
                if not n[0].startswith('_'):
                    setattr(self, n[0], n[1])
        self.layers = net

    def forward(self, x):
        for n, f in self.layers:
            if not n.startswith('_'):
                x = getattr(self, n)(x)
            else:
                x = f(x)
        if chainer.config.train:
            return x
        return F.softmax(x)


class VGGBlock(chainer.Chain):
    def __init__(self, n_channels, n_convs=2, fc=False):
        w = chainer.initializers.HeNormal()
        super(VGGBlock, self).__init__()
        with self.init_scope():
            self.conv1 = L.Convolution2D(None, n_channels, 3, 1, 1, initialW=w)
            self.conv2 = L.Convolution2D(n_channels, n_channels, 3, 1, 1, initialW=w)
            if n_convs == 3:
                self.conv3 = L.Convolution2D(n_channels, n_channels, 3, 1, 1, initialW=w)
            if fc:
                self.fc4 = L.Linear(None, 4096, initialW=w)
                self.fc5 = L.Linear(4096, 4096, initialW=w)
                self.fc6 = L.Linear(4096, 1000, initialW=w)
        self.n_convs = n_convs
        self.fc = fc

    def forward(self, x):
        h = F.relu(self.conv1(x))
        h = F.relu(self.conv2(h))
        if self.n_convs == 3:
            h = F.relu(self.conv3(h))
        h = F.max_pooling_2d(h, 2, 2)
        if self.fc:
            h = F.dropout(F.relu(self.fc4(h)))
            h = F.dropout(F.relu(self.fc5(h)))
            h = self.fc6(h)
        return h


class VGG16(chainer.ChainList):
    def __init__(self):
        super(VGG16, self).__init__(
            VGGBlock(64),
            VGGBlock(128),
            VGGBlock(256, 3),
            VGGBlock(512, 3),
            VGGBlock(512, 3, True))

    def forward(self, x):
        for f in self.children():
            x = f(x)
        if chainer.config.train:
            return x
        return F.softmax(x)


class BottleNeck(chainer.Chain):
    def __init__(self, n_in, n_mid, n_out, stride=1, proj=False):
        w = chainer.initializers.HeNormal()
        super(BottleNeck, self).__init__()
        with self.init_scope():
            self.conv1x1a = L.Convolution2D(n_in, n_mid, 1, stride, 0, initialW=w, nobias=True)
            self.conv3x3b = L.Convolution2D(n_mid, n_mid, 3, 1, 1, initialW=w, nobias=True)
            self.conv1x1c = L.Convolution2D(n_mid, n_out, 1, 1, 0, initialW=w, nobias=True)
            self.bn_a = L.BatchNormalization(n_mid)
            self.bn_b = L.BatchNormalization(n_mid)
            self.bn_c = L.BatchNormalization(n_out)
            if proj:
                self.conv1x1r = L.Convolution2D(n_in, n_out, 1, stride, 0, initialW=w,
                                                nobias=True)
                self.bn_r = L.BatchNormalization(n_out)
        self.proj = proj

    def forward(self, x):
        h = F.relu(self.bn_a(self.conv1x1a(x)))
        h = F.relu(self.bn_b(self.conv3x3b(h)))
        h = self.bn_c(self.conv1x1c(h))
        if self.proj:
            x = self.bn_r(self.conv1x1r(x))
        return F.relu(h + x)


class Block(chainer.ChainList):
    def __init__(self, n_layers, n_in, n_mid, n_out, stride=2):
        super(Block, self).__init__()
        self.add_link(BottleNeck(n_in, n_mid, n_out, stride, True))
        for _ in range(n_layers - 1):
            self.add_link(BottleNeck(n_out, n_mid, n_out))

    def forward(self, x):
        for f in self:
            x = f(x)
        return x


class ResNet152(chainer.Chain):
    def __init__(self, n_blocks=[3, 8, 36, 3]):
        w = chainer.initializers.HeNormal()
        super(ResNet152, self).__init__()
        with self.init_scope():
            self.conv1 = L.Convolution2D(None, 64, 7, 2, 3, initialW=w, nobias=True)
            self.bn1 = L.BatchNormalization(64)
            self.res2 = Block(n_blocks[0], 64, 64, 256, 1)
            self.res3 = Block(n_blocks[1], 256, 128, 512)
            self.res4 = Block(n_blocks[2], 512, 256, 1024)
            self.res5 = Block(n_blocks[3], 1024, 512, 2048)
            self.fc6 = L.Linear(2048, 1000)

    def forward(self, x):
        h = self.bn1(self.conv1(x))
        h = F.max_pooling_2d(F.relu(h), 2, 2)
        h = self.res2(h)
        h = self.res3(h)
        h = self.res4(h)
        h = self.res5(h)
        h = F.average_pooling_2d(h, h.shape[2:], stride=1)
        h = self.fc6(h)
        if chainer.config.train:
            return h
        return F.softmax(h)


# (model factory, input shape (N, C, H, W), classes, parameter count)
MODELS = {
    # conv 156 + 2,416 + 30,840, fc 10,164 + 850.
    'lenet5': (LeNet5, (3, 1, 28, 28), 10, 44426),
    'lenet5_layers': (LeNet5Layers, (3, 1, 28, 28), 10, 44426),
    # At 32x32 the five pools end at 1x1, so fc4 is Linear(512, 4096):
    # 14,714,688 (convs) + 2,101,248 + 16,781,312 + 4,097,000.
    'vgg16': (VGG16, (2, 3, 32, 32), 1000, 37694248),
    # The same count as torchvision's resnet152 (conv1 has no bias; BN
    # running averages are buffers, not parameters).
    'resnet152': (ResNet152, (2, 3, 32, 32), 1000, 60192808),
}


@pytest.fixture(scope='module', params=sorted(MODELS))
def built(request):
    factory, shape, classes, count = MODELS[request.param]
    torch.manual_seed(0)
    model = factory()
    x = numpy.random.RandomState(0).rand(*shape).astype(numpy.float32)
    return model, x, classes, count


def test_training_mode_gives_one_row_of_scores_per_example(built):
    model, x, classes, _ = built
    y = model(x)
    assert y.shape == (x.shape[0], classes)
    assert torch.isfinite(y).all()


def test_parameter_count(built):
    model, x, _, count = built
    model(x)  # sizes the lazily initialized layers
    assert model.count_params() == count


def test_inference_mode_gives_rows_of_probabilities(built):
    model, x, classes, _ = built
    with chainer.using_config('train', False), chainer.no_backprop_mode():
        y = model(x)
    assert y.shape == (x.shape[0], classes) and not y.requires_grad
    assert (y >= 0).all()
    assert torch.allclose(y.sum(axis=1), torch.ones(x.shape[0]), atol=1e-5)


def test_classifier_loss_backward_reaches_every_parameter(built):
    model, x, classes, _ = built
    model.cleargrads()
    t = numpy.arange(x.shape[0]) % classes
    loss = L.Classifier(model)(x, t)
    assert loss.shape == ()
    loss.backward()
    missing = [name for name, p in model.namedparams() if p.grad is None]
    assert missing == []
