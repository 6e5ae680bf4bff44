"""How other libraries lay out the weights of the zoo's ImageNet families:
each function maps a foreign file's contents to ``{npz key: array}``, the
keys of our networks (``'res2/a/conv1/W'``, ``'conv1_1/b'``...).

- torchvision's ``state_dict`` and timm's (the same names for ResNets and
  DenseNets; timm's VGG keeps its fully connected layers as convolutions,
  ``pre_logits.fc1``/``fc2``, and its classifier as ``head.fc``);
- Caffe's layers as :func:`~chainvision.models.weights.read_caffemodel`
  returns them (MSRA's ResNets, the VGG team's VGG-16, BVLC's GoogLeNet).

Used by the zoo's ``pretrained=`` loading and by Chainer's extractors
(``L.ResNet50Layers``...), so both read a file the same way.
"""

import re

import numpy

from chainvision.models.weights.caffemodel import caffe_batch_norm
from chainvision.models.weights.loading import rename_state_dict

_BN_NAMES = (('weight', 'gamma'), ('bias', 'beta'), ('running_mean', 'avg_mean'),
             ('running_var', 'avg_var'))


def _batch_norm_names(theirs, ours):
    return {'{}.{}'.format(theirs, t): '{}/{}'.format(ours, o) for t, o in _BN_NAMES}


# -- ResNet ------------------------------------------------------------------

def resnet_depth(num_blocks):
    """Layers of a bottleneck ResNet with ``num_blocks`` per stage: 50,
    101, 152."""
    return 3 * sum(num_blocks) + 2


def resnet_conv_bn_pairs(num_blocks):
    """``(our conv, our bn, Caffe's (conv, BatchNorm, Scale) layers,
    torchvision's conv, torchvision's bn)`` for every convolution of a
    bottleneck ResNet and the BatchNorm after it.  MSRA's deeper models name
    the blocks of stages 3 and 4 ``a, b1, b2...`` instead of ``a, b, c...``."""
    yield 'conv1', 'bn1', ('conv1', 'bn_conv1', 'scale_conv1'), 'conv1', 'bn1'
    numbered_stages = (3, 4) if resnet_depth(num_blocks) > 50 else ()
    for index, n in enumerate(num_blocks):
        stage = index + 2
        for i in range(n):
            if i == 0:
                ours, caffe = 'a', '{}a'.format(stage)
            elif stage in numbered_stages:
                ours, caffe = 'b{}'.format(i), '{}b{}'.format(stage, i)
            else:
                ours, caffe = 'b{}'.format(i), '{}{}'.format(stage, chr(ord('a') + i))
            branches = [(1, '2a', 'conv1', 'bn1'), (2, '2b', 'conv2', 'bn2'),
                        (3, '2c', 'conv3', 'bn3')]
            if i == 0:
                branches.append((4, '1', 'downsample.0', 'downsample.1'))
            for k, branch, torch_conv, torch_bn in branches:
                suffix = '{}_branch{}'.format(caffe, branch)
                yield ('res{}/{}/conv{}'.format(stage, ours, k), 'res{}/{}/bn{}'.format(stage, ours, k),
                       ('res' + suffix, 'bn' + suffix, 'scale' + suffix),
                       'layer{}.{}.{}'.format(index + 1, i, torch_conv),
                       'layer{}.{}.{}'.format(index + 1, i, torch_bn))


def resnet_torchvision_arrays(state_dict, num_blocks):
    """``{npz key: array}`` from torchvision's (or timm's) ``resnet50``/
    ``101``/``152`` state_dict: ``layer1.0.conv1.weight``, the projection
    ``layer1.0.downsample.0``/``.1``, ``fc``.  No ``conv1/b``: these
    networks have no bias there."""
    names = {'fc.weight': 'fc6/W', 'fc.bias': 'fc6/b'}
    for conv, bn, _, torch_conv, torch_bn in resnet_conv_bn_pairs(num_blocks):
        names[torch_conv + '.weight'] = conv + '/W'
        names.update(_batch_norm_names(torch_bn, bn))
    return rename_state_dict(state_dict, names, 'resnet{}'.format(resnet_depth(num_blocks)))


def _caffe_blobs(layers, name, file_name):
    if name not in layers or not layers[name]:
        raise ValueError('The caffemodel has no weights for layer {!r}: is it {}?'.format(
            name, file_name))
    return layers[name]


def resnet_caffe_arrays(layers, num_blocks):
    """``{npz key: array}`` from MSRA's Caffe layers: convolution
    ``res2a_branch2a``, ``BatchNorm`` ``bn2a_branch2a`` (mean, variance,
    scale factor), ``Scale`` ``scale2a_branch2a`` (gamma, beta)...,
    ``conv1``/``bn_conv1``/``scale_conv1``, ``fc1000``.  ``conv1/b`` is
    Caffe's bias, or zeros where the file has none (ResNet-101/152), as
    Chainer keeps it."""
    file_name = 'ResNet-{}-model.caffemodel'.format(resnet_depth(num_blocks))
    arrays = {}
    for conv, bn, (caffe_conv, caffe_bn, caffe_scale), _, _ in resnet_conv_bn_pairs(num_blocks):
        arrays[conv + '/W'] = _caffe_blobs(layers, caffe_conv, file_name)[0]
        mean, var = caffe_batch_norm(_caffe_blobs(layers, caffe_bn, file_name))
        gamma, beta = _caffe_blobs(layers, caffe_scale, file_name)
        arrays.update({bn + '/avg_mean': mean, bn + '/avg_var': var,
                       bn + '/gamma': gamma, bn + '/beta': beta})
    conv1 = _caffe_blobs(layers, 'conv1', file_name)
    arrays['conv1/b'] = conv1[1] if len(conv1) > 1 else numpy.zeros(64, numpy.float32)
    arrays['fc6/W'], arrays['fc6/b'] = _caffe_blobs(layers, 'fc1000', file_name)
    return arrays


# -- VGG -----------------------------------------------------------------------

def vgg_layer_names(stage_sizes, fc_names):
    """Our convolution names ``conv1_1``... then the fully connected ones."""
    return ['conv{}_{}'.format(stage, i) for stage, n in enumerate(stage_sizes, start=1)
            for i in range(1, n + 1)] + list(fc_names)


def vgg_torchvision_arrays(state_dict, stage_sizes, fc_names, batch_norm):
    """``{npz key: array}`` from torchvision's ``vgg16``/``vgg16_bn``
    state_dict (``features.{i}``: every convolution, BatchNorm, ReLU and
    pooling takes an index; ``classifier.0/3/6`` are ``fc6``-``fc8``) or
    timm's (the same ``features``; ``pre_logits.fc1``/``fc2`` are ``fc6``
    and ``fc7`` as 7x7 and 1x1 convolutions, ``head.fc`` is ``fc8``)."""
    names = {}
    index = 0
    for stage, n in enumerate(stage_sizes, start=1):
        for i in range(1, n + 1):
            names.update({'features.{}.weight'.format(index): 'conv{}_{}/W'.format(stage, i),
                          'features.{}.bias'.format(index): 'conv{}_{}/b'.format(stage, i)})
            if batch_norm:
                names.update(_batch_norm_names('features.{}'.format(index + 1),
                                               'bn{}_{}'.format(stage, i)))
            index += 3 if batch_norm else 2   # convolution, (BatchNorm,) ReLU
        index += 1   # max-pooling
    timm = 'head.fc.weight' in state_dict
    fc_modules = (['pre_logits.fc1', 'pre_logits.fc2', 'head.fc'] if timm else
                  ['classifier.{}'.format(3 * i) for i in range(len(fc_names))])
    for theirs, ours in zip(fc_modules, fc_names):
        names.update({theirs + '.weight': ours + '/W', theirs + '.bias': ours + '/b'})
    # timm's fc6 is a (4096, 512, 7, 7) convolution: the same numbers as the
    # (4096, 25088) matrix, which assign_arrays reshapes.
    return rename_state_dict(state_dict, names, 'vgg16_bn' if batch_norm else 'vgg16')


def vgg_caffe_arrays(layers, stage_sizes, fc_names):
    """``{npz key: array}`` from the VGG team's Caffe layers (``conv1_1``...,
    ``fc8``, each with blobs ``[W, b]``)."""
    arrays = {}
    for name in vgg_layer_names(stage_sizes, fc_names):
        if name not in layers or len(layers[name]) != 2:
            raise ValueError('The caffemodel has no layer {!r} with weights and bias: is it '
                             'VGG_ILSVRC_16_layers.caffemodel?'.format(name))
        arrays[name + '/W'], arrays[name + '/b'] = layers[name]
    return arrays


# -- DenseNet ------------------------------------------------------------------

# torchvision's published DenseNet files use the old names 'norm.1', 'conv.2'
# (torchvision renames them on loading, as we do here).
_OLD_DENSENET_KEY = re.compile(r'^(.*denselayer\d+\.(?:norm|relu|conv))\.((?:[12])\.(?:weight|bias|'
                               r'running_mean|running_var))$')


def densenet_torchvision_arrays(state_dict, num_layers):
    """``{npz key: array}`` from torchvision's or timm's ``densenet121``
    state_dict: ``features.conv0``/``norm0`` (our ``stem``),
    ``features.denseblock{b}.denselayer{l}.norm1/conv1/norm2/conv2``,
    ``features.transition{b}.norm/conv``, ``features.norm5``,
    ``classifier``."""
    state_dict = {_OLD_DENSENET_KEY.sub(r'\1\2', key): value for key, value in state_dict.items()}
    names = {'features.conv0.weight': 'stem/0/W', 'classifier.weight': 'fc/W',
             'classifier.bias': 'fc/b'}
    names.update(_batch_norm_names('features.norm0', 'stem/1'))
    names.update(_batch_norm_names('features.norm5', 'bn'))
    for block, n in enumerate(num_layers, start=1):
        for layer in range(n):
            theirs = 'features.denseblock{}.denselayer{}.'.format(block, layer + 1)
            ours = 'block{}/{}/'.format(block, layer)
            for k in (1, 2):
                names[theirs + 'conv{}.weight'.format(k)] = ours + 'conv{}/W'.format(k)
                names.update(_batch_norm_names(theirs + 'norm{}'.format(k), ours + 'bn{}'.format(k)))
        if block < len(num_layers):
            theirs = 'features.transition{}.'.format(block)
            names[theirs + 'conv.weight'] = 'trans{}/conv/W'.format(block)
            names.update(_batch_norm_names(theirs + 'norm', 'trans{}/bn'.format(block)))
    return rename_state_dict(state_dict, names, 'densenet121')


# -- GoogLeNet -----------------------------------------------------------------

INCEPTIONS = ('3a', '3b', '4a', '4b', '4c', '4d', '4e', '5a', '5b')
# Inception link -> BVLC's layer suffix.
INCEPTION_CAFFE_NAMES = (('conv1', '1x1'), ('proj3', '3x3_reduce'), ('conv3', '3x3'),
                         ('proj5', '5x5_reduce'), ('conv5', '5x5'), ('projp', 'pool_proj'))
# Our link -> BVLC's layer, outside the Inception modules.
GOOGLENET_CAFFE_NAMES = (
    ('conv1', 'conv1/7x7_s2'), ('conv2_reduce', 'conv2/3x3_reduce'), ('conv2', 'conv2/3x3'),
    ('loss1_conv', 'loss1/conv'), ('loss1_fc1', 'loss1/fc'), ('loss1_fc2', 'loss1/classifier'),
    ('loss2_conv', 'loss2/conv'), ('loss2_fc1', 'loss2/fc'), ('loss2_fc2', 'loss2/classifier'),
    ('loss3_fc', 'loss3/classifier'))


def googlenet_caffe_arrays(layers):
    """``{npz key: array}`` from BVLC's Caffe layers (``conv1/7x7_s2``,
    ``inception_3a/1x1``..., ``loss3/classifier``, and the auxiliary
    classifiers ``loss1/*``, ``loss2/*``), each with blobs ``[W, b]``."""
    names = list(GOOGLENET_CAFFE_NAMES)
    for inception in INCEPTIONS:
        names += [('inc{}/{}'.format(inception, ours), 'inception_{}/{}'.format(inception, theirs))
                  for ours, theirs in INCEPTION_CAFFE_NAMES]
    arrays = {}
    for ours, theirs in names:
        if theirs not in layers or len(layers[theirs]) != 2:
            raise ValueError('The caffemodel has no layer {!r} with weights and bias: is it '
                             'bvlc_googlenet.caffemodel?'.format(theirs))
        arrays[ours + '/W'], arrays[ours + '/b'] = layers[theirs]
    return arrays
