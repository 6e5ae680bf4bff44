"""GoogLeNet, the Inception v1 network (Szegedy et al. 2014), for 224x224
ImageNet images, with the local response normalizations of the paper and
its optional auxiliary classifiers.

Reference: C. Szegedy et al., "Going Deeper with Convolutions", CVPR 2015
(arXiv:1409.4842), Table 1 and Fig. 3.  Link names are those of Chainer's
``L.GoogLeNet`` (``conv1``, ``conv2_reduce``, ``inc3a``, ``loss3_fc``,
``loss1_conv``...), so with ``aux_classifiers=True`` and 1000 classes its
npz files (such as BVLC's Caffe model converted by Chainer) load as they are.

Initialization as BVLC's Caffe model ("xavier", which is Chainer's
LeCun-uniform) with zero biases, as Chainer's ``L.GoogLeNet`` does.
"""

import functools
from collections.abc import Iterator, Mapping
from typing import Any

import numpy
import torch

from chainvision import functions as F
from chainvision import initializers
from chainvision import links as L
from chainvision.configuration import is_train
from chainvision.models._base import (
    Activation, FeatureInfo, ImageClassifier, dropout, global_average_pooling_2d)
from chainvision.models._registry import register
from chainvision.models.weights import layouts


def caffe_lrn(x: torch.Tensor) -> torch.Tensor:
    """BVLC GoogLeNet's local response normalization of ``x``
    ``(N, C, H, W)``, same shape: Caffe's LRN (local_size 5, alpha 1e-4
    averaged over the window, k 1) in Chainer's convention, where alpha
    multiplies the window's sum."""
    return F.local_response_normalization(x, n=5, k=1, alpha=1e-4 / 5, beta=0.75)


def max_pool_3x3_s2(x: torch.Tensor) -> torch.Tensor:
    """GoogLeNet's 3x3 stride-2 max-pooling of ``x`` ``(N, C, H, W)`` with
    Chainer's cover_all, i.e. Caffe's ceil rounding: ``H`` 112 -> 56 -> 28
    -> 14 -> 7 at 224x224 input."""
    return F.max_pooling_2d(x, 3, stride=2)


class GoogLeNet(ImageClassifier):
    """GoogLeNet (Inception v1) as in Table 1 of Szegedy et al. 2014.

    Stem: 7x7/2 conv 64, max-pool, LRN, 1x1 conv 64, 3x3 conv 192, LRN,
    max-pool; Inception 3a, 3b, max-pool, 4a-4e, max-pool, 5a, 5b; global
    average pooling (the paper's 7x7 average pooling at 224x224, and any
    input of at least 32x32 works), 40% dropout, fully connected
    ``loss3_fc``.

    Args:
        num_classes (int): outputs (default 1000).
        in_channels (int): input channels (default 3).
        act_fn: the activation (default ``'relu'``).
        aux_classifiers (bool): add the two auxiliary classifiers on
            Inception 4a and 4d (``loss1_*``, ``loss2_*``, see
            :meth:`auxiliary_classifier`; default False).  Then
            ``forward`` in training returns ``(logits, aux1, aux2)``; the
            paper adds their losses with weight 0.3.  Inference returns the
            logits alone.
    """

    def __init__(self, num_classes: int = 1000, in_channels: int = 3,
                 act_fn: str | Activation = 'relu', aux_classifiers: bool = False) -> None:
        super().__init__(num_classes, in_channels, act_fn)
        self.aux_classifiers = aux_classifiers
        initialW = initializers.LeCunUniform()
        # L.Inception's activation sees fresh convolution outputs only, so it
        # may work in place.
        inception = functools.partial(L.Inception, conv_init=initialW, act=self.inplace_act)
        with self.init_scope():
            self.conv1 = L.Convolution2D(in_channels, 64, 7, stride=2, pad=3, initialW=initialW)
            self.conv2_reduce = L.Convolution2D(64, 64, 1, initialW=initialW)
            self.conv2 = L.Convolution2D(64, 192, 3, pad=1, initialW=initialW)
            self.inc3a = inception(192, 64, 96, 128, 16, 32, 32)
            self.inc3b = inception(256, 128, 128, 192, 32, 96, 64)
            self.inc4a = inception(480, 192, 96, 208, 16, 48, 64)
            self.inc4b = inception(512, 160, 112, 224, 24, 64, 64)
            self.inc4c = inception(512, 128, 128, 256, 24, 64, 64)
            self.inc4d = inception(512, 112, 144, 288, 32, 64, 64)
            self.inc4e = inception(528, 256, 160, 320, 32, 128, 128)
            self.inc5a = inception(832, 256, 160, 320, 32, 128, 128)
            self.inc5b = inception(832, 384, 192, 384, 48, 128, 128)
            self.loss3_fc = L.Linear(1024, num_classes, initialW=initialW)
            if aux_classifiers:
                for branch, channels in (('loss1', 512), ('loss2', 528)):
                    self.add_link(branch + '_conv', L.Convolution2D(channels, 128, 1,
                                                                    initialW=initialW))
                    self.add_link(branch + '_fc1', L.Linear(128 * 4 * 4, 1024, initialW=initialW))
                    self.add_link(branch + '_fc2', L.Linear(1024, num_classes, initialW=initialW))
        self.feature_info = [FeatureInfo('conv1', 64, 2), FeatureInfo('conv2', 192, 4),
                             FeatureInfo('inception_3b', 480, 8),
                             FeatureInfo('inception_4e', 832, 16),
                             FeatureInfo('inception_5b', 1024, 32)]
        self.head_links = ('loss3_fc',) + tuple(
            branch + layer for branch in ('loss1', 'loss2') if aux_classifiers
            for layer in ('_conv', '_fc1', '_fc2'))

    def auxiliary_classifier(self, h: torch.Tensor, branch: str) -> torch.Tensor:
        """The auxiliary classifier ``branch`` (``'loss1'`` on Inception 4a,
        ``'loss2'`` on 4d; Szegedy et al. 2014, Sec. 5): 5x5 average pooling
        with stride 3 (14x14 -> 4x4), 1x1 convolution to 128 channels, fully
        connected 1024 with 70% dropout, fully connected to the classes.
        Needs the 14x14 maps of 224x224 input."""
        h = self.inplace_act(self[branch + '_conv'](F.average_pooling_2d(h, 5, stride=3)))
        h = self.inplace_act(self[branch + '_fc1'](h))
        return self[branch + '_fc2'](dropout(h, 0.7, self))

    def forward_stages(self, x: torch.Tensor,
                       aux_inputs: list[torch.Tensor] | None = None) -> Iterator[torch.Tensor]:
        """Yield the maps of ``conv1`` (after the activation), ``conv2``
        (after its LRN), Inception 3b, 4e and 5b (strides 2-32; each
        pooling opens the next stage).  The maps of Inception 4a and 4d,
        which the auxiliary classifiers take, are appended to the list
        ``aux_inputs`` when one is given."""
        h = self.inplace_act(self.conv1(x))
        yield h
        h = self.inplace_act(self.conv2_reduce(caffe_lrn(max_pool_3x3_s2(h))))
        h = caffe_lrn(self.inplace_act(self.conv2(h)))
        yield h
        h = self.inc3b(self.inc3a(max_pool_3x3_s2(h)))
        yield h
        h4a = self.inc4a(max_pool_3x3_s2(h))
        h4d = self.inc4d(self.inc4c(self.inc4b(h4a)))
        if aux_inputs is not None:
            aux_inputs.extend((h4a, h4d))
        h = self.inc4e(h4d)
        yield h
        yield self.inc5b(self.inc5a(max_pool_3x3_s2(h)))

    def caffe_arrays(self, layers: Mapping[str, list[numpy.ndarray]]) -> dict[str, Any]:
        """``{npz key: array}`` from BVLC's Caffe layers
        (:func:`~chainvision.models.weights.layouts.googlenet_caffe_arrays`);
        the auxiliary classifiers' weights are left out when this network
        has none."""
        arrays = layouts.googlenet_caffe_arrays(layers)
        if not self.aux_classifiers:
            arrays = {key: value for key, value in arrays.items()
                      if not key.startswith(('loss1_', 'loss2_'))}
        return arrays

    def torchvision_arrays(self, state_dict: Mapping[str, Any]) -> dict[str, Any]:
        """Refused: torchvision's GoogLeNet is another network."""
        raise ValueError("torchvision's googlenet has BatchNorm after every convolution, no "
                         "LRN and a 3x3 convolution in the '5x5' branch, so its weights do not "
                         "fit this GoogLeNet (BVLC's); use bvlc_googlenet.caffemodel or its "
                         'npz conversion.')

    def forward_head(self, h: torch.Tensor) -> torch.Tensor:
        """Global average pooling, 40% dropout, ``loss3_fc``: logits
        ``(N, num_classes)``."""
        return self.loss3_fc(dropout(global_average_pooling_2d(h), 0.4, self))

    def forward(self, x: torch.Tensor) -> Any:
        """Logits ``(N, num_classes)`` of images ``x`` ``(N, in_channels, H, W)``
        (and the auxiliary logits in training, see the class docstring): a
        tensor, or the tuple ``(logits, aux1, aux2)``."""
        if not (self.aux_classifiers and is_train(self)):
            return super().forward(x)
        aux_inputs: list[torch.Tensor] = []
        *_, h = self.forward_stages(x, aux_inputs)
        return (self.forward_head(h), self.auxiliary_classifier(aux_inputs[0], 'loss1'),
                self.auxiliary_classifier(aux_inputs[1], 'loss2'))


@register(input_size=(3, 224, 224),
          reference='Szegedy et al. 2014, Going Deeper with Convolutions (arXiv:1409.4842)')
def googlenet(**hparams: Any) -> GoogLeNet:
    """GoogLeNet / Inception v1 for ImageNet (Szegedy et al. 2014), with LRN.

    6,998,552 parameters with 1000 classes; 13,378,280 with
    ``aux_classifiers=True``.  Hyper-parameters: those of :class:`GoogLeNet`.
    """
    return GoogLeNet(**hparams)
