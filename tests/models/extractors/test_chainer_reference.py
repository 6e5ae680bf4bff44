"""Our extractors compute what Chainer 7.8.1's compute with the same
parameters: ``L.ResNet50Layers`` (both ``downsample_fb`` settings, with
``conv1``'s bias) and ``L.GoogLeNet`` (its auxiliary heads included).

The expected values were printed by Chainer 7.8.1 after filling every
parameter and BatchNorm statistic, found by its path, with
:func:`deterministic_values`, in test mode, for :func:`deterministic_image`.
"""

import numpy
import pytest
import torch

import chainvision
from chainvision import links as L


def deterministic_values(path, shape):
    """Values that depend only on the array's path and shape."""
    wave = numpy.sin(0.7 * numpy.arange(int(numpy.prod(shape))) + len(path)).reshape(shape)
    name = path.rsplit('/', 1)[1]
    if name == 'W':
        return wave * numpy.sqrt(3.0 / numpy.prod(shape[1:]))
    if name in ('gamma', 'avg_var'):
        return 1 + 0.1 * wave
    return 0.1 * wave


def deterministic_image(size):
    shape = (1, 3, size, size)
    return (50 * numpy.sin(0.01 * numpy.arange(int(numpy.prod(shape))))).reshape(shape).astype(
        numpy.float32)


CHAINER_OUTPUTS = {
    ('ResNet50Layers', False, 32): {
        'pool5': [0.0, 26356.50390625, 77972.7578125, 147233.484375],
        'fc6': [113248.9453125, -166505.265625, -283617.28125, -123692.09375]},
    ('ResNet50Layers', True, 32): {
        'pool5': [0.0, 24896.466796875, 77494.4375, 141426.15625],
        'fc6': [104881.09375, -162515.203125, -271166.71875, -114942.796875]},
    ('GoogLeNet', None, 224): {
        'pool5': [0.0013655534712597728, 0.3320368528366089, 0.024529924616217613, 0.0],
        'loss3_fc': [-0.74753737449646, -0.9571710824966431, -0.9008005857467651,
                     -0.6056207418441772],
        'loss1_fc2': [1.3321629762649536, 1.2181391716003418, 0.7830736637115479,
                      0.127940833568573],
        'loss2_fc2': [1.334423303604126, 1.2209858894348145, 0.7857629656791687,
                      0.12977023422718048]},
}


@pytest.mark.parametrize('key', list(CHAINER_OUTPUTS), ids=lambda key: '{}-{}'.format(*key))
def test_features_match_chainers_with_the_same_parameters(key):
    name, downsample_fb, size = key
    kwargs = {} if downsample_fb is None else {'downsample_fb': downsample_fb}
    model = getattr(L, name)(pretrained_model=None, **kwargs)
    with torch.no_grad():
        for path, array in list(model.namedparams()) + [
                ('/' + n.replace('.', '/'), b) for n, b in model.named_buffers()]:
            array.copy_(torch.from_numpy(deterministic_values(path, tuple(array.shape))))
    expected = CHAINER_OUTPUTS[key]
    with chainvision.using_config('train', False), torch.no_grad():
        features = model(deterministic_image(size), layers=list(expected))
    for layer, values in expected.items():
        numpy.testing.assert_allclose(features[layer].numpy().ravel()[:4], values,
                                      rtol=2e-5, atol=1e-5, err_msg=layer)
