"""ConvolutionND/DeconvolutionND and their 1-D and 3-D forms against Chainer
7.8.1: the same links, parameters set by ``_fill`` after a first call (which
infers ``in_channels`` where it is ``None``), outputs summarized."""

import numpy
import pytest
import torch

import chainvision.links as L

X1 = numpy.cos(numpy.arange(2 * 3 * 7) * 0.5).reshape(2, 3, 7).astype(numpy.float32)
X3 = numpy.cos(numpy.arange(1 * 2 * 4 * 3 * 4) * 0.3).reshape(1, 2, 4, 3, 4).astype(numpy.float32)


def _fill(link):
    for i, (_, param) in enumerate(sorted(link.namedparams())):
        values = numpy.sin(numpy.arange(param.numel()) * 0.37 + i) * 0.5
        param.array[...] = torch.as_tensor(values.reshape(param.shape))


# name -> (link factory, input, output shape, parameter shapes, sum, sum of squares, last)
CASES = {
    'Convolution1D': (lambda: L.Convolution1D(3, 4, 3, stride=2, pad=1), X1,
        (2, 4, 4), {'/W': (4, 3, 3), '/b': (4,)},
        14.14175, 7.288392, 0.3466125),
    'Convolution3D': (lambda: L.Convolution3D(None, 3, 2, cover_all=True, stride=2), X3,
        (1, 3, 2, 2, 2), {'/W': (3, 2, 2, 2, 2), '/b': (3,)},
        17.3447, 55.43499, 2.195789),
    'ConvolutionND': (lambda: L.ConvolutionND(3, 2, 4, (2, 1, 2), groups=2), X3,
        (1, 4, 3, 3, 3), {'/W': (4, 1, 2, 1, 2), '/b': (4,)},
        52.70282, 41.48421, 0.3012538),
    'Deconvolution1D': (lambda: L.Deconvolution1D(3, 2, 3, stride=2), X1,
        (2, 2, 15), {'/W': (3, 2, 3), '/b': (2,)},
        31.44141, 40.98462, 0.8857812),
    'Deconvolution3D': (
        lambda: L.Deconvolution3D(2, 2, 2, stride=2, outsize=(8, 7, 8), nobias=True), X3,
        (1, 2, 8, 7, 8), {'/W': (2, 2, 2, 2, 2)},
        -0.8168859, 70.04015, 0.0),
    'DeconvolutionND': (lambda: L.DeconvolutionND(1, None, 2, 4, pad=1), X1,
        (2, 2, 8), {'/W': (3, 2, 4), '/b': (2,)},
        34.73243, 165.3635, 1.446042),
}


@pytest.mark.parametrize('name', sorted(CASES))
def test_matches_chainer(name):
    make, x, shape, param_shapes, total, squares, last = CASES[name]
    link = make()
    link(x)
    _fill(link)
    assert {n: tuple(p.shape) for n, p in link.namedparams()} == param_shapes
    y = link(x).detach().numpy()
    assert y.shape == shape
    numpy.testing.assert_allclose([y.sum(), (y * y).sum(), y.ravel()[-1]], [total, squares, last],
                                  rtol=1e-5, atol=1e-6)


def test_the_number_of_spatial_axes_is_checked():
    with pytest.raises(ValueError, match='expected 3 values'):
        L.ConvolutionND(3, 2, 4, (2, 2))
    with pytest.raises(ValueError, match=r'x of shape \(1, 2, 4, 3, 4\) and W of shape'):
        L.Convolution1D(3, 4, 3)(X3)
