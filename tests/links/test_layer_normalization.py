import numpy
import pytest
import torch

import chainvision.links as L


def test_layer_normalization_matches_chainer_with_lazy_size():
    ln = L.LayerNormalization()
    x = (numpy.arange(24, dtype=numpy.float32).reshape(2, 12) ** 1.5 % 5).astype(numpy.float32)
    y = ln(x)
    assert ln.gamma.shape == (12,) and ln.eps == 1e-6
    # Printed by chainer.links.LayerNormalization on the same input.
    numpy.testing.assert_allclose(y.detach()[0, :4].numpy(),
                                  [-1.5217043, -0.7657401, 0.6164855, -1.37342], rtol=1e-5)


def test_layer_normalization_scale_shift_and_input_check():
    ln = L.LayerNormalization(3, initial_gamma=2.0, initial_beta=1.0)
    x = torch.tensor([[1.0, 2.0, 3.0]])
    expected = 2 * (x - 2) / torch.sqrt(torch.tensor(2 / 3 + 1e-6)) + 1
    assert torch.allclose(ln(x), expected, atol=1e-6)
    with pytest.raises(ValueError, match=r'\(N, size\)'):
        ln(torch.ones(2, 3, 1))
