"""Dropout."""

import numpy
import pytest
import torch

import chainvision
import chainvision.functions as F
from chainvision.gradient_check import check_backward


def test_dropout_is_the_identity_in_inference():
    x = torch.randn(3, 4)
    with chainvision.using_config('train', False):
        assert F.dropout(x) is x
        y, mask = F.dropout(x, return_mask=True)
        assert y is x and mask is None


def test_dropout_zeroes_about_ratio_and_scales_the_rest():
    x = torch.ones(100000)
    y = F.dropout(x, ratio=0.3)
    kept = y != 0
    assert abs(kept.float().mean().item() - 0.7) < 0.01
    torch.testing.assert_close(y[kept], torch.full_like(y[kept], 1 / 0.7))


def test_dropout_with_a_given_mask_and_its_gradient():
    x = numpy.random.randn(3, 4)
    mask = (numpy.random.rand(3, 4) > 0.5) * 2.0
    y, returned = F.dropout(x, mask=mask, return_mask=True)
    numpy.testing.assert_array_equal(y.numpy(), x * mask)
    numpy.testing.assert_array_equal(returned.numpy(), mask)
    check_backward(lambda v: F.dropout(v, mask=mask), x, numpy.random.randn(3, 4))


def test_dropout_returned_mask_reproduces_the_output():
    x = torch.randn(5, 6, dtype=torch.float64)
    y, mask = F.dropout(x, 0.25, return_mask=True)
    torch.testing.assert_close(y, x * mask)
    assert set(mask.unique().tolist()) <= {0.0, 1 / 0.75}


def test_dropout_rejects_a_ratio_outside_0_1():
    with pytest.raises(ValueError, match=r'\[0, 1\)'):
        F.dropout(torch.ones(2), ratio=1.0)
