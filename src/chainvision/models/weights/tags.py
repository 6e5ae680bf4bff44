"""The published ImageNet weights of the zoo, one :class:`PretrainedConfig`
per file, named ``model.tag`` as timm names them (``resnet50.tv_in1k``,
``resnet50.caffe_in1k``...).

Every figure here is copied from where the weights are published:
torchvision's ``Weights`` metadata (file names carry the first 8 hex digits
of the file's SHA-256), timm's pretrained configurations and its
``results-imagenet.csv`` (224x224 rows), MSRA's ResNet README (1-crop
errors), BVLC's GoogLeNet readme (SHA-1, center-crop accuracy), and for
VGG-16's Caffe model the 1-crop figures of MatConvNet's evaluation that
MSRA's README quotes.  No checksum is published for the MSRA and VGG Caffe
files nor for timm's Hugging Face files: ``checksum`` is ``None`` there.

Caffe's models take BGR pixels minus a mean pixel, in 0-255: loaded into the
zoo, their first convolution is flipped to RGB, and ``mean``/``std`` say the
same thing in [0, 1] units (mean pixel / 255, std 1 / 255), so every zoo
network takes RGB normalised as ``(x / 255 - mean) / std``.
"""

import dataclasses
import functools
import os
from typing import Any, Mapping, Optional, Tuple

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
CAFFE_STD = (1. / 255,) * 3


@dataclasses.dataclass(frozen=True)
class PretrainedConfig:
    """One published weight file and how to use it.

    Attributes:
        tag (str): ``'model.tag'``, e.g. ``'resnet50.tv_in1k'``.
        layout (str): ``'torchvision'``, ``'timm'`` (state dicts) or
            ``'caffe'`` (a ``.caffemodel``, or Chainer's npz conversion).
        file_name (str): the file's name; ``'auto'`` looks for it (and for
            ``alternative_files``) in the model folders.
        url (str or None): the address it is downloaded from; ``None`` when
            it is published only inside an archive or behind a page.
        page (str): where the weights are published.
        checksum (str or None): ``'sha256:<prefix>'`` or ``'sha1:<hex>'``
            as published; ``None`` when none is.
        hparams (dict): builder hyper-parameters the weights need (stride
            placement, BatchNorm epsilon, ``conv1`` bias).
        mean, std (tuple): RGB input normalisation in [0, 1] units.
        input_size (tuple): ``(C, H, W)`` the figures were measured at.
        resize (int): the shorter side images are resized to before the
            center crop of ``input_size``.
        interpolation (str): ``'bilinear'`` or ``'bicubic'``.
        top1, top5 (float or None): published ImageNet validation accuracy
            (%), single center crop.
        num_classes (int): outputs of the classifier (1000).
        alternative_files (tuple): other names of the same weights
            (Chainer's converted npz).
    """

    tag: str
    layout: str
    file_name: str
    url: Optional[str]
    page: str
    checksum: Optional[str]
    hparams: Mapping[str, Any]
    mean: Tuple[float, ...]
    std: Tuple[float, ...]
    top1: Optional[float]
    top5: Optional[float]
    input_size: Tuple[int, int, int] = (3, 224, 224)
    resize: int = 256
    interpolation: str = 'bilinear'
    num_classes: int = 1000
    alternative_files: Tuple[str, ...] = ()

    @property
    def model(self) -> str:
        """The zoo model the weights are for (the tag's first part)."""
        return self.tag.split('.')[0]


def _torchvision(tag, file_name, top1, top5, hparams, resize=256):
    return PretrainedConfig(
        tag, 'torchvision', file_name, 'https://download.pytorch.org/models/' + file_name,
        'https://pytorch.org/vision/stable/models.html',
        'sha256:' + file_name.rsplit('-', 1)[1].split('.')[0], hparams, IMAGENET_MEAN,
        IMAGENET_STD, top1, top5, resize=resize)


def _timm(tag, top1, top5, hparams, crop_pct, interpolation='bicubic'):
    hub = 'https://huggingface.co/timm/' + tag
    return PretrainedConfig(
        tag, 'timm', tag + '.safetensors', hub + '/resolve/main/model.safetensors', hub, None,
        hparams, IMAGENET_MEAN, IMAGENET_STD, top1, top5, resize=round(224 / crop_pct),
        interpolation=interpolation)


def _msra_resnet(depth, top1, top5):
    return PretrainedConfig(
        'resnet{}.caffe_in1k'.format(depth), 'caffe',
        'ResNet-{}-model.caffemodel'.format(depth), None,
        'https://github.com/KaimingHe/deep-residual-networks', None,
        {'stride_in': '1x1', 'conv1_bias': True},
        tuple(m / 255 for m in (123.152, 115.903, 103.063)), CAFFE_STD, top1, top5,
        alternative_files=('ResNet-{}-model.npz'.format(depth),))


_TV_RESNET = {'bn_eps': 1e-5}
_TV_BN = {'bn_eps': 1e-5}

PRETRAINED = {config.tag: config for config in [
    # torchvision (bilinear, resize 256 / crop 224; V2 resizes to 232)
    _torchvision('resnet50.tv_in1k', 'resnet50-0676ba61.pth', 76.13, 92.862, _TV_RESNET),
    _torchvision('resnet50.tv2_in1k', 'resnet50-11ad3fa6.pth', 80.858, 95.434, _TV_RESNET,
                 resize=232),
    _torchvision('resnet101.tv_in1k', 'resnet101-63fe2227.pth', 77.374, 93.546, _TV_RESNET),
    _torchvision('resnet101.tv2_in1k', 'resnet101-cd907fc2.pth', 81.886, 95.78, _TV_RESNET,
                 resize=232),
    _torchvision('resnet152.tv_in1k', 'resnet152-394f9c45.pth', 78.312, 94.046, _TV_RESNET),
    _torchvision('resnet152.tv2_in1k', 'resnet152-f82ba261.pth', 82.284, 96.002, _TV_RESNET,
                 resize=232),
    _torchvision('vgg16.tv_in1k', 'vgg16-397923af.pth', 71.592, 90.382, {}),
    _torchvision('vgg16_bn.tv_in1k', 'vgg16_bn-6c64b313.pth', 73.36, 91.516, _TV_BN),
    _torchvision('densenet121.tv_in1k', 'densenet121-a639ec97.pth', 74.434, 91.972, _TV_BN),
    # timm (results-imagenet.csv at 224x224)
    _timm('resnet50.a1_in1k', 80.382, 94.598, _TV_RESNET, crop_pct=0.95),
    _timm('resnet101.a1h_in1k', 81.950, 95.760, _TV_RESNET, crop_pct=0.95),
    _timm('resnet152.a1h_in1k', 82.818, 96.124, _TV_RESNET, crop_pct=0.95),
    _timm('densenet121.ra_in1k', 75.574, 92.648, _TV_BN, crop_pct=0.875),
    # Caffe: MSRA's 1-crop validation errors 24.7/7.8, 23.6/7.1, 23.0/6.7
    _msra_resnet(50, 75.3, 92.2),
    _msra_resnet(101, 76.4, 92.9),
    _msra_resnet(152, 77.0, 93.3),
    PretrainedConfig(
        'vgg16.caffe_in1k', 'caffe', 'VGG_ILSVRC_16_layers.caffemodel',
        'https://www.robots.ox.ac.uk/~vgg/software/very_deep/caffe/'
        'VGG_ILSVRC_16_layers.caffemodel',
        'https://www.robots.ox.ac.uk/~vgg/research/very_deep/', None, {},
        tuple(m / 255 for m in (123.68, 116.779, 103.939)), CAFFE_STD, 71.5, 90.1,
        alternative_files=('VGG_ILSVRC_16_layers.npz',)),
    PretrainedConfig(
        'googlenet.caffe_in1k', 'caffe', 'bvlc_googlenet.caffemodel',
        'http://dl.caffe.berkeleyvision.org/bvlc_googlenet.caffemodel',
        'https://github.com/BVLC/caffe/tree/master/models/bvlc_googlenet',
        'sha1:405fc5acd08a3bb12de8ee5e23a96bec22f08204', {},
        tuple(m / 255 for m in (123., 117., 104.)), CAFFE_STD, 68.7, 88.9,
        alternative_files=('bvlc_googlenet.npz',)),
]}

# What 'auto' loads for each model: torchvision's V1 weights, else Caffe's.
DEFAULT_TAGS = {'resnet50': 'resnet50.tv_in1k', 'resnet101': 'resnet101.tv_in1k',
                'resnet152': 'resnet152.tv_in1k', 'vgg16': 'vgg16.tv_in1k',
                'vgg16_bn': 'vgg16_bn.tv_in1k', 'densenet121': 'densenet121.tv_in1k',
                'googlenet': 'googlenet.caffe_in1k'}


def pretrained_tags(model: Optional[str] = None) -> list:
    """The tags of every published weight file (of ``model`` alone when
    given), sorted."""
    return sorted(tag for tag in PRETRAINED if model is None or tag.split('.')[0] == model)


def pretrained_config(tag: str) -> PretrainedConfig:
    """The :class:`PretrainedConfig` of ``tag`` (``'resnet50.tv_in1k'``),
    or of a model's default weights (``'resnet50'``).

    Raises:
        KeyError: unknown tag; the message lists the model's tags.
    """
    tag = DEFAULT_TAGS.get(tag, tag)
    if tag not in PRETRAINED:
        known = pretrained_tags(tag.split('.')[0]) or pretrained_tags()
        raise KeyError('No published weights tagged {!r}; known: {}.'.format(
            tag, ', '.join(known)))
    return PRETRAINED[tag]


@functools.lru_cache(maxsize=None)
def imagenet_class_names() -> tuple:
    """The 1000 ImageNet-1k class names in the classifiers' output order
    (``'tench'``, ``'goldfish'``... ``'toilet tissue'``), as torchvision
    lists them; shipped with the package."""
    with open(os.path.join(os.path.dirname(__file__), 'imagenet_classes.txt'),
              encoding='utf-8') as f:
        return tuple(line.rstrip('\n') for line in f)
