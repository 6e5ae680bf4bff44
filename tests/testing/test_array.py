"""chainvision.testing.assert_allclose."""

import numpy
import pytest
import torch

from chainvision import testing


def test_assert_allclose_accepts_tensors_and_arrays_within_tolerance():
    testing.assert_allclose(torch.tensor([1.0, 2.0]), numpy.array([1.0, 2.0 + 1e-5]))
    testing.assert_allclose(torch.ones(2, 3), 1.0)


def test_assert_allclose_names_the_largest_error():
    with pytest.raises(AssertionError, match=r'largest error 0\.5 at index \(1,\)'):
        testing.assert_allclose(numpy.array([1.0, 2.5, 3.1]), numpy.array([1.0, 2.0, 3.0]))


def test_assert_allclose_reports_a_nan_output():
    with pytest.raises(AssertionError, match=r'largest error inf at index \(1,\)'):
        testing.assert_allclose(numpy.array([1.0, numpy.nan]), numpy.array([1.0, 2.0]))
    with pytest.raises(AssertionError, match='largest error'):
        testing.assert_allclose(numpy.full(3, numpy.nan), numpy.zeros(3))


def test_assert_allclose_reports_a_nan_scalar():
    # A 0-d expected value (a mean loss) that is NaN, against a finite output.
    with pytest.raises(AssertionError, match=r'largest error inf at index \(\) \(x=7\.0, y=nan\)'):
        testing.assert_allclose(numpy.array(7.0, numpy.float16), numpy.array(numpy.nan))
