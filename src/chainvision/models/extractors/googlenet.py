"""Chainer's ``L.GoogLeNet``: the zoo's GoogLeNet (with its auxiliary
classifiers) with pre-trained weights and Chainer's feature-extraction API.

Weights: BVLC's Caffe model (``bvlc_googlenet.caffemodel``) or Chainer's
conversion of it (``bvlc_googlenet.npz``).  torchvision's ``googlenet`` is
a different network (BatchNorm after every convolution, no LRN, a 3x3
convolution in the "5x5" branch, weights ported from TensorFlow) and is not
accepted.
"""

import collections

from chainvision import functions as F
from chainvision.models import weights
from chainvision.models.weights import layouts
from chainvision.models.extractors import _pretrained
from chainvision.models._base import dropout
from chainvision.models.googlenet import GoogLeNet as GoogLeNetNetwork
from chainvision.models.googlenet import caffe_lrn, max_pool_3x3_s2

# BVLC's mean pixel, BGR.
MEAN_BGR = (104.0, 117.0, 123.0)
CAFFEMODEL_URL = 'http://dl.caffe.berkeleyvision.org/bvlc_googlenet.caffemodel'



def prepare(image, size=(224, 224)):
    """Chainer's ``googlenet.prepare``: ``image`` (PIL image or RGB array) ->
    resized, BGR, minus :data:`MEAN_BGR`, ``(3, H, W)`` float32 (see
    :func:`~chainvision.models.extractors._pretrained.prepare_image`)."""
    return _pretrained.prepare_image(image, size, MEAN_BGR)


class GoogLeNet(_pretrained.PretrainedLayers, GoogLeNetNetwork):
    """GoogLeNet (Inception v1) with BVLC's pre-trained ImageNet weights and
    Chainer's API: ``forward(x, layers)`` returns the named activations,
    ``extract(images, layers, size)``, ``predict(images, oversample)``,
    ``available_layers``, ``convert_caffemodel_to_npz``.

    Layers: ``conv1``, ``pool1`` (with LRN), ``conv2_reduce``, ``conv2``
    (with LRN), ``pool2``, ``inception_3a``, ``inception_3b``, ``pool3``,
    ``inception_4a`` ... ``inception_4e``, ``pool4``, ``inception_5a``,
    ``inception_5b``, ``pool5`` (7x7 average, ``(N, 1024, 1, 1)`` at
    224x224), ``loss3_fc`` (logits), ``prob``, and the auxiliary logits
    ``loss1_fc2`` (from ``inception_4a``) and ``loss2_fc2`` (from
    ``inception_4d``).

    Args:
        pretrained_model (str or None): ``'auto'`` (default;
            ``bvlc_googlenet.npz`` or ``.caffemodel``, see
            :mod:`~chainvision.models.extractors._pretrained`), a path to
            an ``.npz`` or ``.caffemodel`` file, or ``None`` for random
            weights (LeCun-uniform, as Chainer's).

    Deliberate difference from Chainer: in training the auxiliary
    classifiers drop 70% of their hidden units, as BVLC's network does
    (Chainer's table leaves that dropout out).
    """

    MEAN_BGR = MEAN_BGR
    AUTO_FILES = ('bvlc_googlenet.npz', 'bvlc_googlenet.caffemodel', CAFFEMODEL_URL)
    branch_inputs = {'loss1_fc2': 'inception_4a', 'loss2_fc2': 'inception_4d'}

    def __init__(self, pretrained_model='auto'):
        with weights.on_meta_device_if(pretrained_model):
            GoogLeNetNetwork.__init__(self, aux_classifiers=True)
        self.load_pretrained(pretrained_model)

    @property
    def functions(self):
        """Chainer's table: layer name -> callables applied in turn."""
        act = self.act
        table = collections.OrderedDict([
            ('conv1', [self.conv1, act]),
            ('pool1', [max_pool_3x3_s2, caffe_lrn]),
            ('conv2_reduce', [self.conv2_reduce, act]),
            ('conv2', [self.conv2, act, caffe_lrn]),
            ('pool2', [max_pool_3x3_s2]),
        ])
        for name in layouts.INCEPTIONS:
            table['inception_' + name] = [self['inc' + name]]
            if name in ('3b', '4e'):
                table['pool{}'.format(name[0])] = [max_pool_3x3_s2]
        table['pool5'] = [lambda h: F.average_pooling_2d(h, 7, stride=1)]
        table['loss3_fc'] = [lambda h: dropout(h, 0.4, self), self.loss3_fc]
        table['prob'] = [lambda h: F.softmax(h, axis=1)]
        # After 'prob', so that a forward pass asking for 'prob' skips them.
        for branch in ('loss1', 'loss2'):
            table[branch + '_fc2'] = [
                lambda h, branch=branch: self.auxiliary_classifier(h, branch)]
        return table
