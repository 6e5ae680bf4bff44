"""Activation and small links against Chainer 7.8.1: PReLU, Swish, Maxout,
Highway, Parameter.  Reference: the same links in Chainer with every parameter
set by ``_fill`` (sorted parameter names), applied to ``X``/``X4``."""

import numpy
import pytest
import torch

import chainvision.functions as F
import chainvision.links as L

X = (numpy.cos(numpy.arange(2 * 6) * 0.7) * 1.5).reshape(2, 6).astype(numpy.float32)
X4 = (numpy.cos(numpy.arange(2 * 3 * 2 * 2) * 0.3) * 1.5).reshape(2, 3, 2, 2).astype(numpy.float32)


def _fill(link):
    for i, (_, param) in enumerate(sorted(link.namedparams())):
       values = numpy.sin(numpy.arange(param.numel()) * 0.37 + i) * 0.5
       param.array[...] = torch.as_tensor(values.reshape(param.shape))


def _close(y, expected):
    numpy.testing.assert_allclose(y.detach().numpy().ravel(), expected, rtol=1e-5, atol=1e-6)


HIGHWAY = [
    0.1982482, 1.591806, 0.2076587, -0.1332692, -0.8296276, -1.037909, 0.6062581,
    0.2261386, 0.2003963, 1.666271, 0.8759478, 0.04843855,
]
HIGHWAY_GX = [
    0.2394108, 2.021183, 0.05933681, -0.5177331, -1.991683, -2.179879, 1.517394, 1.25517,
    0.8704239, 3.237277, 1.683197, 0.02392805,
]
MAXOUT = [
    -0.01368286, 0.1651639, 0.7560068, 1.698324,
]
PRELU = [
    1.5, 1.433005, 1.238003, 0.9324149, 0.5435366, 0.1061058, -0.06161984, -0.1369201,
    -0.3729118, -0.4572037, -0.5006549, -0.4993843, -0, -0, -0, -0, 0.1312485, 0.5669666,
    0.9520393, 1.252069, 1.440255, 1.499788, 1.425349, 1.223588,
]
SWISH = [
    0.75, 0.8088088, 0.7463395, 0.562157, 0.3083223, 0.05440542, -0.1588545, -0.3411928,
    -0.5254497, -0.7210514, -0.8866882, -0.953978, -0.6725688, -0.4910257, -0.3223458,
    -0.1469217, 0.06776788, 0.3218714, 0.5652024, 0.7278149, 0.766889, 0.6973187, 0.5796975,
    0.4648783,
]
SWISH_HALF = [
    1.018768, 0.9627447, 0.8046916, 0.5729557, 0.3084716, 0.05445988, -0.1559183, -0.3077968,
    -0.403898, -0.4565958, -0.4788479, -0.4782425, -0.4545514, -0.3997925, -0.3008471,
    -0.1456255, 0.06777673, 0.3233978, 0.587225, 0.8158355, 0.9687664, 1.018589, 0.9563975,
    0.7933129,
]


def test_highway_matches_chainer():
    link = L.Highway(6)
    assert link.transform.b.tolist() == [-1.0] * 6  # starts near the identity
    _fill(link)
    x = torch.tensor(X, requires_grad=True)
    y = link(x)
    F.sum(y * y).backward()
    _close(y, HIGHWAY)
    _close(x.grad, HIGHWAY_GX)


def test_maxout_takes_chainers_array_layouts():
    initialW = numpy.arange(36, dtype=numpy.float32).reshape(2, 3, 6) * 0.01
    initial_bias = numpy.arange(6, dtype=numpy.float32).reshape(2, 3) * 0.1
    link = L.Maxout(6, 2, 3, initialW=initialW, initial_bias=initial_bias)
    assert [name for name, _ in link.namedparams()] == ['/linear/W', '/linear/b']
    _close(link.linear.W[1], [0.06, 0.07, 0.08, 0.09, 0.1, 0.11])
    _close(link(X), MAXOUT)


def test_prelu_matches_chainer():
    assert L.PReLU().W.shape == () and L.PReLU().W.item() == 0.25
    link = L.PReLU((3,))
    _fill(link)
    _close(link(X4), PRELU)


def test_swish_infers_beta_shape_and_matches_chainer():
    link = L.Swish(None)
    link(X4)
    assert link.beta.shape == (3, 2, 2)
    _fill(link)
    _close(link(X4), SWISH)
    _close(L.Swish((3,), beta_init=0.5)(X4), SWISH_HALF)


def test_parameter_link_returns_its_parameter_connected_to_the_graph():
    link = L.Parameter(numpy.arange(3, dtype=numpy.float32))
    y = link()
    assert [name for name, _ in link.namedparams()] == ['/W'] and y.tolist() == [0, 1, 2]
    F.sum(y * y).backward()
    assert link.W.grad.tolist() == [0, 2, 4]


def test_maxout_rejects_arrays_not_in_chainers_layout():
    with pytest.raises(ValueError, match='initialW.ndim should be 3'):
        L.Maxout(6, 2, 3, initialW=numpy.zeros((6, 6), numpy.float32))
    assert L.Maxout(6, 2, 3, initial_bias=None).linear.b is None
