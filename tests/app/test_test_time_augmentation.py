"""Test-time augmentation: shapes, the views and their weights, and that a
mirror-symmetric model gains nothing from the flip."""

import pytest
import torch

import chainvision
import chainvision.links as L
from chainvision import models
from chainvision.app.test_time_augmentation import (
    TestTimeAugmentation, with_test_time_augmentation)


class _Counting(torch.nn.Module):
    """A linear map of the flattened image (not mirror-symmetric), counting calls."""

    def __init__(self, shape, classes=4):
        super().__init__()
        self.linear = torch.nn.Linear(int(torch.tensor(shape).prod()), classes)
        self.calls = 0

    def forward(self, x):
        self.calls += 1
        return self.linear(x.flatten(1))


@pytest.mark.parametrize('views, passes', [('flip', 2), ('flip-shift', 6)])
def test_logits_keep_their_shape_after_the_views(views, passes):
    predictor = _Counting((3, 8, 8))
    logits = TestTimeAugmentation(predictor, views)(torch.randn(5, 3, 8, 8))
    assert logits.shape == (5, 4) and predictor.calls == passes


def test_zoo_model_under_test_time_augmentation_gives_logits():
    model = models.create('speedrun_cifar')
    with chainvision.using_config('train', False), torch.no_grad():
        assert TestTimeAugmentation(model)(torch.randn(3, 3, 32, 32)).shape == (3, 10)


def test_flip_of_a_mirror_symmetric_model_equals_the_plain_output():
    # Filters equal to their mirror images, then global average pooling: the
    # output does not change when the input is mirrored.
    torch.manual_seed(0)
    conv = L.Convolution2D(3, 6, 3)
    with torch.no_grad():
        conv.W.copy_(conv.W + conv.W.flip(-1))
    model = chainvision.Sequential(conv, lambda h: h.mean(axis=(2, 3)), L.Linear(6, 4))
    x = torch.randn(5, 3, 9, 9)
    assert not torch.allclose(model(x[:, :, :, :8]), model(x[:, :, :, 1:]))
    torch.testing.assert_close(TestTimeAugmentation(model, 'flip')(x), model(x))


def test_flip_shift_weights_the_plain_views_half_and_the_shifted_ones_an_eighth():
    torch.manual_seed(0)
    predictor = _Counting((2, 5, 5))
    x = torch.randn(3, 2, 5, 5)
    padded = torch.nn.functional.pad(x, (1, 1, 1, 1), mode='reflect')
    up_left, down_right = padded[:, :, :5, :5], padded[:, :, 2:, 2:]
    views = [x, x.flip(-1), up_left, up_left.flip(-1), down_right, down_right.flip(-1)]
    weights = [1 / 4, 1 / 4, 1 / 8, 1 / 8, 1 / 8, 1 / 8]
    expected = sum(w * predictor(v) for w, v in zip(weights, views))
    torch.testing.assert_close(TestTimeAugmentation(predictor, 'flip-shift')(x), expected)


def test_none_is_the_predictor_itself_and_unknown_views_are_refused():
    predictor = _Counting((1, 2, 2))
    assert with_test_time_augmentation(predictor, 'none') is predictor
    assert isinstance(with_test_time_augmentation(predictor, 'flip'), TestTimeAugmentation)
    with pytest.raises(ValueError, match="views must be 'flip' or 'flip-shift'"):
        TestTimeAugmentation(predictor, 'rotate')
