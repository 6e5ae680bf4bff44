"""Memory layouts: Chainer's NHWC layouts are PyTorch's channels_last memory format."""
import numpy
import pytest
import torch

import chainvision
import chainvision.functions as F
from chainvision import memory_layouts


def test_channel_last_keeps_the_semantic_shape_and_values():
    # Chainer 7.8.1: as_layout(CUDNN_CHANNEL_LAST_X) of a (1, 2, 3, 4) variable has
    # shape (1, 2, 3, 4), raw shape (1, 3, 4, 2); as_layout(None) gives the data back.
    x = torch.arange(24, dtype=torch.float32).reshape(1, 2, 3, 4)
    y = x.as_layout(chainvision.memory_layouts.CUDNN_CHANNEL_LAST_X)
    assert y.shape == (1, 2, 3, 4) and torch.equal(y, x)
    assert memory_layouts.get_raw_shape(y) == (1, 3, 4, 2)
    assert y.permute(0, 2, 3, 1).is_contiguous()
    z = y.as_layout(None)
    assert z.is_contiguous() and memory_layouts.get_raw_shape(z) == (1, 2, 3, 4)


def test_as_layout_is_differentiable():
    x = torch.arange(24, dtype=torch.float32).reshape(1, 2, 3, 4).requires_grad_()
    y = x.as_layout(memory_layouts.CUDNN_CHANNEL_LAST_X).as_layout(None)
    F.sum(y * y).backward()
    assert torch.equal(x.grad, 2 * x.detach())


def test_functions_accept_channel_last_inputs():
    x = torch.randn(2, 3, 8, 8)
    w = torch.randn(4, 3, 3, 3)
    expected = F.convolution_2d(x, w, pad=1)
    got = F.convolution_2d(x.as_layout(memory_layouts.CUDNN_CHANNEL_LAST_X),
                           memory_layouts.as_layout(w, memory_layouts.CUDNN_CHANNEL_LAST_W), pad=1)
    torch.testing.assert_close(got, expected, rtol=1e-5, atol=1e-5)


def test_five_dimensional_tensors_use_channels_last_3d():
    y = memory_layouts.as_layout(torch.zeros(1, 2, 3, 4, 5), memory_layouts.CUDNN_CHANNEL_LAST_X)
    assert memory_layouts.get_raw_shape(y) == (1, 3, 4, 5, 2)


def test_semantic_shape_of_a_raw_channel_last_array():
    # Chainer 7.8.1 gives (1, 2, 3, 4) for a (1, 3, 4, 2) array assumed channel-last.
    raw = numpy.zeros((1, 3, 4, 2))
    assert memory_layouts.get_semantic_shape(
        raw, assumed_layout=memory_layouts.CUDNN_CHANNEL_LAST_X) == (1, 2, 3, 4)
    assert memory_layouts.get_semantic_shape(raw) == (1, 3, 4, 2)


@pytest.mark.parametrize('layout, shape, message', [
    ('NHWC', (1, 2, 3, 4), 'Unknown memory layout'),
    (memory_layouts.CUDNN_CHANNEL_LAST_X, (2, 3, 4), '4-d or 5-d'),
])
def test_bad_layouts_are_rejected(layout, shape, message):
    with pytest.raises(ValueError, match=message):
        memory_layouts.as_layout(torch.zeros(shape), layout)
