"""The zoo's ImageNet GoogLeNet and ResNet-50 compute what Chainer 7.8.1's
``L.GoogLeNet`` and ``L.ResNet50Layers`` compute with the same parameters.

The expected logits were printed by Chainer 7.8.1 (``chainer.links``
models with ``pretrained_model=None``, in test mode) after filling every
parameter, found by its path, with :func:`deterministic_values`; Chainer's
``ResNet50Layers`` has a bias on ``conv1``, set to 0 there.  Since the paths
are the same, npz files move between the two as they are.
"""

import numpy
import pytest
import torch

import chainvision
from chainvision import models


def deterministic_values(path, shape):
    """Parameter values that depend only on the parameter's path and shape."""
    wave = numpy.sin(0.7 * numpy.arange(int(numpy.prod(shape))) + len(path)).reshape(shape)
    name = path.rsplit('/', 1)[1]
    if name == 'W':
        return wave * numpy.sqrt(3.0 / numpy.prod(shape[1:]))
    if name == 'gamma':
        return 1 + 0.1 * wave
    return 0.1 * wave


def deterministic_image(size):
    shape = (1, 3, size, size)
    return numpy.sin(0.01 * numpy.arange(int(numpy.prod(shape)))).reshape(shape).astype(
        numpy.float32)


@pytest.mark.parametrize('name, hparams, size, chainer_logits', [
    ('googlenet', {'aux_classifiers': True}, 224,
     [-0.74714535, -0.95746505, -0.90170383, -0.60689723, -0.1641635, 0.30173236]),
    ('resnet50', {'stride_in': '1x1'}, 64,
     [862.3557, -298.71402, -1167.9796, -896.3181, 250.91536, 1153.0846]),
])
def test_logits_match_chainers_model_with_the_same_parameters(name, hparams, size,
                                                               chainer_logits):
    model = models.create(name, **hparams)
    with torch.no_grad():
        for path, param in model.namedparams():
            param.copy_(torch.from_numpy(deterministic_values(path, tuple(param.shape))))
    with chainvision.using_config('train', False), torch.no_grad():
        logits = model(deterministic_image(size))
    assert logits.shape == (1, 1000)
    numpy.testing.assert_allclose(logits[0, :6].numpy(), chainer_logits, rtol=1e-5, atol=1e-5)
