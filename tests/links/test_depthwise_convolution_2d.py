import numpy
import torch

import chainvision.links as L
from chainvision.link import is_initialized


def test_depthwise_filters_each_channel_with_its_multiplier_filters():
    conv = L.DepthwiseConvolution2D(3, 2, 3, pad=1)
    assert conv.W.shape == (2, 3, 3, 3) and conv.b.shape == (6,)
    with torch.no_grad():
        conv.b.copy_(torch.arange(6.0))
    x = torch.randn(2, 3, 5, 5)
    y = conv(x)
    assert y.shape == (2, 6, 5, 5)
    for c in range(3):
        for m in range(2):
            expected = torch.nn.functional.conv2d(x[:, c:c + 1], conv.W[m, c][None, None],
                                                  padding=1) + (c * 2 + m)
            assert torch.allclose(y[:, c * 2 + m:c * 2 + m + 1], expected, atol=1e-5)


def test_depthwise_lazy_in_channels_sizes_w_and_b():
    conv = L.DepthwiseConvolution2D(None, 3, 2, stride=2)
    assert not is_initialized(conv.W) and not is_initialized(conv.b)
    y = conv(numpy.ones((1, 4, 6, 6), numpy.float32))
    assert conv.W.shape == (3, 4, 2, 2) and conv.b.shape == (12,)
    assert y.shape == (1, 12, 3, 3)
    assert L.DepthwiseConvolution2D(4, 1, 3, nobias=True).b is None
