"""L.Inception and L.InceptionBN against Chainer 7.8.1.

Reference: the same links in Chainer, every parameter set by ``_fill`` (in
the sorted order of the parameter names), applied to ``X``; the printed
summaries are the expected values below.
"""
import numpy
import pytest
import torch

import chainvision
import chainvision.links as L

X = (numpy.cos(numpy.arange(2 * 4 * 7 * 7) * 0.11) * 1.5).reshape(2, 4, 7, 7).astype(numpy.float32)


def _fill(link):
    for i, (name, param) in enumerate(sorted(link.namedparams())):
        values = numpy.sin(numpy.arange(param.numel()) * 0.37 + i) * 0.2 + name.endswith('gamma')
        param.array[...] = torch.as_tensor(values.reshape(param.shape))


def _summary(y):
    y = y.detach().numpy()
    return [list(y.shape), y.sum(), (y * y).sum(), y.max(), int(y.argmax()), y[1, -1].sum()]


def _assert_summary(y, expected):
    got = _summary(y)
    assert got[0] == expected[0] and got[4] == expected[4]
    numpy.testing.assert_allclose(got[1:4] + got[5:], expected[1:4] + expected[5:], rtol=1e-5)


def test_inception_matches_chainer():
    link = L.Inception(4, 3, 2, 5, 2, 3, 2)
    _fill(link)
    assert sorted(name for name, _ in link.namedparams()) == [
        '/conv1/W', '/conv1/b', '/conv3/W', '/conv3/b', '/conv5/W', '/conv5/b',
        '/proj3/W', '/proj3/b', '/proj5/W', '/proj5/b', '/projp/W', '/projp/b']
    _assert_summary(link(X), [[2, 13, 7, 7], 149.07418823242188, 63.60710525512695,
                              0.7972663044929504, 728, 0.4072563052177429])


def test_inception_infers_in_channels_and_takes_a_conv_unit():
    units = []

    def conv_unit(n_in, n_out, ksize, pad):
        units.append((n_in, n_out, ksize, pad))
        return L.Convolution2D(n_in, n_out, ksize, pad=pad)

    link = L.Inception(None, 1, 2, 3, 4, 5, 6, conv_unit=conv_unit, act=torch.tanh)
    assert units == [(None, 1, 1, 0), (None, 2, 1, 0), (2, 3, 3, 1), (None, 4, 1, 0),
                     (4, 5, 5, 2), (None, 6, 1, 0)]
    y = link(X)
    assert y.shape == (2, 15, 7, 7) and y.abs().max() < 1


# (out1, pooltype, proj_pool, stride) -> (summary in training, summary in inference, parameters)
INCEPTION_BN_CASES = {
    (3, 'max', 2, 1): (
        [[2, 14, 7, 7], 618.6991577148438, 817.73583984375, 2.636096239089966, 410,
         21.995147705078125],
        [[2, 14, 7, 7], 265.035888671875, 148.83221435546875, 1.3684331178665161, 648,
         30.33499526977539], 21),
    (0, 'avg', None, 2): (
        [[2, 13, 4, 4], 129.95753479003906, 231.6903533935547, 2.786149501800537, 137,
         -3.214031219482422],
        [[2, 13, 4, 4], 33.610530853271484, 65.11802673339844, 1.2125816345214844, 181,
         -3.214031219482422], 15),
    (0, 'max', 3, 2): (
        [[2, 12, 4, 4], 159.47308349609375, 199.63706970214844, 3.1104729175567627, 329,
         4.823052883148193],
        [[2, 12, 4, 4], 32.98871612548828, 8.446377754211426, 0.5774711966514587, 329,
         0.32729223370552063], 18),
}


@pytest.mark.parametrize('config', sorted(INCEPTION_BN_CASES, key=str))
def test_inception_bn_matches_chainer_in_training_and_inference(config):
    out1, pooltype, proj_pool, stride = config
    train, test, n_params = INCEPTION_BN_CASES[config]
    link = L.InceptionBN(4, out1, 2, 5, 3, 4, pooltype, proj_pool=proj_pool, stride=stride)
    _fill(link)
    assert len(list(link.namedparams())) == n_params
    with torch.no_grad():
        _assert_summary(link(X), train)
        with chainvision.using_config('train', False):
            _assert_summary(link(X), test)


@pytest.mark.parametrize('kwargs, error', [
    (dict(out1=3, pooltype='max', proj_pool=None), AssertionError),
    (dict(out1=3, pooltype='avg', proj_pool=2, stride=2), AssertionError),
    (dict(out1=0, pooltype='median'), NotImplementedError),
])
def test_inception_bn_rejects_what_chainer_rejects(kwargs, error):
    with pytest.raises(error, match='InceptionBN'):
        L.InceptionBN(4, proj3=2, out3=5, proj33=3, out33=4, **kwargs)


def test_inception_bn_batch_normalization_dtype_follows_config():
    with chainvision.using_config('dtype', numpy.float64):
        link = L.InceptionBN(4, 3, 2, 5, 3, 4, 'max', proj_pool=2)
    assert link.conv3n.beta.dtype == torch.float64 and link.poolpn.gamma.dtype == torch.float64
