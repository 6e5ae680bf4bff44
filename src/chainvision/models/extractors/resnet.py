"""Chainer's ``L.ResNet50Layers``, ``L.ResNet101Layers`` and
``L.ResNet152Layers``: the zoo's ImageNet ResNets with pre-trained weights
and Chainer's feature-extraction API.

Weights: MSRA's Caffe models (He et al. 2016,
``ResNet-{50,101,152}-model.caffemodel``), Chainer's conversions of them
(``ResNet-50-model.npz``...), or torchvision's ``resnet50-0676ba61.pth``,
``resnet101-63fe2227.pth``, ``resnet152-394f9c45.pth`` (these need
``downsample_fb=True``).
"""

import collections

from chainvision import functions as F
from chainvision.models import weights
from chainvision.models.extractors import _pretrained
from chainvision.links.normalization.batch_normalization import BatchNormalization
from chainvision.models._base import global_average_pooling_2d
from chainvision.models.resnet import STEM_POOLING, ResNet

# MSRA's mean pixel, BGR (Chainer uses it in place of their mean image).
MEAN_BGR = (103.063, 115.903, 123.152)
CAFFEMODEL_URL = 'https://github.com/KaimingHe/deep-residual-networks'
BLOCKS = {50: (3, 4, 6, 3), 101: (3, 4, 23, 3), 152: (3, 8, 36, 3)}
TORCHVISION_BN_EPS = 1e-5


def prepare(image, size=(224, 224)):
    """Chainer's ``resnet.prepare``: ``image`` (PIL image or RGB array) ->
    resized, BGR, minus :data:`MEAN_BGR`, ``(3, H, W)`` float32 (see
    :func:`~chainvision.models.extractors._pretrained.prepare_image`)."""
    return _pretrained.prepare_image(image, size, MEAN_BGR)


class ResNetLayers(_pretrained.PretrainedLayers, ResNet):
    """A bottleneck ResNet with pre-trained ImageNet weights and Chainer's
    API: ``forward(x, layers)`` returns the named activations,
    ``extract(images, layers, size)``, ``predict(images, oversample)``,
    ``available_layers``, ``convert_caffemodel_to_npz``.

    Layers: ``conv1`` (after BN and ReLU), ``pool1``, ``res2`` ... ``res5``,
    ``pool5`` (global average, ``(N, 2048)``), ``fc6`` (logits), ``prob``.
    Input: ``(N, 3, H, W)`` from :func:`prepare`.

    Args:
        pretrained_model (str or None): a path to an ``.npz``,
            ``.caffemodel`` or torchvision ``.pth`` file, ``'auto'`` (see
            :mod:`~chainvision.models.extractors._pretrained`), or ``None``
            for the zoo's random initialization (He-normal with fan-out;
            Chainer's is He-normal with fan-in).
        n_layers (int): 50, 101 or 152.
        downsample_fb (bool): the stride on the 3x3 convolutions (Facebook's
            and torchvision's ResNets) instead of the first 1x1 (MSRA's,
            default).

    As Chainer's, ``conv1`` has a bias and BatchNorm's eps is 2e-5, and
    ``pool1`` is 3x3/2 max-pooling without padding, rounding up, whatever
    ``downsample_fb``.  Loading torchvision's weights switches to
    torchvision's network instead: input mapped to its normalization, eps
    1e-5, ``pool1`` padded by 1 rounding down, zero ``conv1`` bias.
    """

    MEAN_BGR = MEAN_BGR

    def __init__(self, pretrained_model, n_layers, downsample_fb=False):
        if n_layers not in BLOCKS:
            raise ValueError('n_layers must be 50, 101 or 152, got {!r}.'.format(n_layers))
        with weights.on_meta_device_if(pretrained_model):
            ResNet.__init__(self, BLOCKS[n_layers], stride_in='3x3' if downsample_fb else '1x1',
                            conv1_bias=True)
        self.n_layers = n_layers
        self.AUTO_FILES = ('ResNet-{}-model.npz'.format(n_layers),
                           'ResNet-{}-model.caffemodel'.format(n_layers), CAFFEMODEL_URL)
        self.stem_pooling = STEM_POOLING['1x1']
        self.load_pretrained(pretrained_model)

    @classmethod
    def convert_caffemodel_to_npz(cls, path_caffemodel, path_npz, n_layers=50):
        """Convert MSRA's ``.caffemodel`` of the ResNet with ``n_layers``
        layers to Chainer's npz file ``path_npz`` (as Chainer's method of
        the same name)."""
        _pretrained.convert_caffemodel(ResNetLayers(None, n_layers), path_caffemodel, path_npz)

    @property
    def functions(self):
        """Chainer's table: layer name -> callables applied in turn."""
        return collections.OrderedDict([
            ('conv1', [self.conv1, self.bn1, self.act]),
            ('pool1', [self.stem_pooling]),
            ('res2', [self.res2]),
            ('res3', [self.res3]),
            ('res4', [self.res4]),
            ('res5', [self.res5]),
            ('pool5', [lambda h: F.reshape(global_average_pooling_2d(h), h.shape[:2])]),
            ('fc6', [self.fc6]),
            ('prob', [lambda h: F.softmax(h, axis=1)]),
        ])

    def use_torchvision_convention(self):
        """Switch to torchvision's ResNet (see the class docstring)."""
        if self.stride_in != '3x3':
            raise ValueError("torchvision's ResNets put the stride on the 3x3 convolutions: "
                             'build with downsample_fb=True to load their weights.')
        self.stem_pooling = STEM_POOLING['3x3']
        self.input_transform = lambda x: _pretrained.torchvision_input(x, self.MEAN_BGR)
        for link in self.modules():
            if isinstance(link, BatchNormalization):
                link.eps = TORCHVISION_BN_EPS


class ResNet50Layers(ResNetLayers):
    """:class:`ResNetLayers` with 50 layers (Chainer's ``L.ResNet50Layers``;
    25,557,096 parameters with ``conv1``'s bias).  ``pretrained_model='auto'``
    reads ``ResNet-50-model.npz`` or ``ResNet-50-model.caffemodel``."""

    def __init__(self, pretrained_model='auto', downsample_fb=False):
        super().__init__(pretrained_model, 50, downsample_fb)


class ResNet101Layers(ResNetLayers):
    """:class:`ResNetLayers` with 101 layers (Chainer's
    ``L.ResNet101Layers``).  ``pretrained_model='auto'`` reads
    ``ResNet-101-model.npz`` or ``ResNet-101-model.caffemodel``."""

    def __init__(self, pretrained_model='auto', downsample_fb=False):
        super().__init__(pretrained_model, 101, downsample_fb)


class ResNet152Layers(ResNetLayers):
    """:class:`ResNetLayers` with 152 layers (Chainer's
    ``L.ResNet152Layers``).  ``pretrained_model='auto'`` reads
    ``ResNet-152-model.npz`` or ``ResNet-152-model.caffemodel``."""

    def __init__(self, pretrained_model='auto', downsample_fb=False):
        super().__init__(pretrained_model, 152, downsample_fb)
