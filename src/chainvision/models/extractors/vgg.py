"""Chainer's ``L.VGG16Layers``: the zoo's VGG-16 with pre-trained weights
and Chainer's feature-extraction API.

Weights: the Visual Geometry Group's Caffe model (Simonyan & Zisserman
2015, ``VGG_ILSVRC_16_layers.caffemodel``), Chainer's conversion of it
(``VGG_ILSVRC_16_layers.npz``), or torchvision's ``vgg16-397923af.pth``.
"""

import collections

from chainvision import functions as F
from chainvision.models import weights
from chainvision.models.extractors import _pretrained
from chainvision.models._base import dropout
from chainvision.models.vgg import VGG

# The mean pixel of the Caffe model's training images, BGR.
MEAN_BGR = (103.939, 116.779, 123.68)
CAFFEMODEL_URL = ('https://www.robots.ox.ac.uk/~vgg/software/very_deep/caffe/'
                  'VGG_ILSVRC_16_layers.caffemodel')


def prepare(image, size=(224, 224)):
    """Chainer's ``vgg.prepare``: ``image`` (PIL image or RGB array) ->
    resized, BGR, minus :data:`MEAN_BGR`, ``(3, H, W)`` float32 (see
    :func:`~chainvision.models.extractors._pretrained.prepare_image`)."""
    return _pretrained.prepare_image(image, size, MEAN_BGR)


class VGG16Layers(_pretrained.PretrainedLayers, VGG):
    """VGG-16 (configuration D) with pre-trained ImageNet weights and
    Chainer's API: ``forward(x, layers)`` returns the named activations,
    ``extract(images, layers, size)``, ``predict(images, oversample)``,
    ``available_layers``, ``convert_caffemodel_to_npz``.

    Layers: ``conv1_1`` ... ``conv5_3`` (after ReLU), ``pool1`` ...
    ``pool5``, ``fc6``, ``fc7`` (after ReLU and dropout), ``fc8`` (logits),
    ``prob`` (softmax).  Input: ``(N, 3, 224, 224)`` from :func:`prepare`.

    Args:
        pretrained_model (str or None): ``'auto'`` (default;
            ``VGG_ILSVRC_16_layers.npz`` or ``.caffemodel``, see
            :mod:`~chainvision.models.extractors._pretrained` for where it
            is looked for), a path to an ``.npz``, ``.caffemodel`` or
            torchvision ``.pth`` file, or ``None`` for random weights
            (the zoo's initialization, see :class:`~chainvision.models.VGG`:
            He-normal convolutions; Chainer draws every weight from
            N(0, 0.01^2)).

    With torchvision's weights the network first maps the prepared input
    to torchvision's normalization, so ``prepare``, ``extract`` and
    ``predict`` work unchanged.
    """

    MEAN_BGR = MEAN_BGR
    AUTO_FILES = ('VGG_ILSVRC_16_layers.npz', 'VGG_ILSVRC_16_layers.caffemodel',
                  CAFFEMODEL_URL)

    def __init__(self, pretrained_model='auto'):
        with weights.on_meta_device_if(pretrained_model):
            VGG.__init__(self)
        self.load_pretrained(pretrained_model)

    def _conv_names(self):
        for stage, n in enumerate(self.stage_sizes, start=1):
            yield stage, ['conv{}_{}'.format(stage, i) for i in range(1, n + 1)]

    @property
    def functions(self):
        """Chainer's table: layer name -> callables applied in turn."""
        table = collections.OrderedDict()
        for stage, names in self._conv_names():
            for name in names:
                table[name] = [self[name], self.act]
            table['pool{}'.format(stage)] = [lambda h: F.max_pooling_2d(h, 2, stride=2)]
        for name in self.fc_names[:-1]:
            table[name] = [self[name], self.act, lambda h: dropout(h, 0.5, self)]
        table[self.fc_names[-1]] = [self[self.fc_names[-1]]]
        table['prob'] = [lambda h: F.softmax(h, axis=1)]
        return table

    def use_torchvision_convention(self):
        """Map prepared input to torchvision's normalization first."""
        self.input_transform = lambda x: _pretrained.torchvision_input(x, self.MEAN_BGR)
