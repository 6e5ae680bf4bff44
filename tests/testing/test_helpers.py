"""condition.retry/repeat, fix_random, with_requires, assert_warns, patch, the
serializer round trip, the mock-updater trainer and generate_matrix."""

import random
import unittest
import warnings

import numpy
import pytest
import torch

import chainvision.links as L
from chainvision import testing
from chainvision.testing import condition
from tests.testing._scratch import run_classes, scratch_module


def _flaky_class(module, decorator, failures_before_success):
    calls = []

    class TestFlaky(unittest.TestCase):
        __module__ = module.__name__

        def setUp(self):
            calls.append('setUp')

        @decorator
        def test_flaky(self):
            calls.append('run')
            self.assertGreater(calls.count('run'), failures_before_success)

    return TestFlaky, calls


def test_retry_passes_once_a_trial_passes_each_with_its_own_setup():
    module = scratch_module('scratch_retry')
    cls, calls = _flaky_class(module, condition.retry(3), failures_before_success=2)
    assert run_classes([cls]) == {('TestFlaky', 'test_flaky'): 'passed'}
    assert calls == ['setUp'] + ['setUp', 'run'] * 3
    cls, calls = _flaky_class(module, condition.retry(2), failures_before_success=2)
    assert run_classes([cls]) == {('TestFlaky', 'test_flaky'): 'failed'}
    assert 'Fail: 2, Success: 0' in next(iter(run_classes.messages.values()))


def test_repeat_needs_every_trial_to_pass():
    module = scratch_module('scratch_repeat')
    cls, _ = _flaky_class(module, condition.repeat(3), failures_before_success=1)
    assert run_classes([cls]) == {('TestFlaky', 'test_flaky'): 'failed'}
    cls, calls = _flaky_class(module, condition.repeat(3), failures_before_success=0)
    assert run_classes([cls]) == {('TestFlaky', 'test_flaky'): 'passed'}
    assert calls.count('run') == 3


def test_fix_random_seeds_numpy_torch_and_restores_the_outer_state():
    module = scratch_module('scratch_fix_random')
    draws = []

    @testing.fix_random()
    class TestDraw(unittest.TestCase):
        __module__ = module.__name__

        def setUp(self):
            self.first = numpy.random.rand()

        def test_draw(self):
            draws.append((self.first, torch.rand(1).item(), testing.generate_seed()))

    numpy.random.seed(1)
    random.seed(1)
    outer = numpy.random.get_state()[1].copy(), random.getstate()
    run_classes([TestDraw])
    run_classes([TestDraw])
    assert draws[0] == draws[1]
    assert (numpy.random.get_state()[1] == outer[0]).all() and random.getstate() == outer[1]
    with pytest.raises(RuntimeError, match='fix_random'):
        testing.generate_seed()


def test_with_requires_and_without_requires_read_installed_versions():
    module = scratch_module('scratch_requires')

    class TestRequires(unittest.TestCase):
        __module__ = module.__name__

        @testing.with_requires('numpy>=1.0')
        def test_new_numpy(self):
            pass

        @testing.with_requires('numpy<1.0')
        def test_ancient_numpy(self):
            pass

        @testing.without_requires('no-such-distribution')
        def test_without(self):
            pass

    assert run_classes([TestRequires]) == {
        ('TestRequires', 'test_ancient_numpy'): 'skipped: requires: numpy<1.0',
        ('TestRequires', 'test_new_numpy'): 'passed',
        ('TestRequires', 'test_without'): 'passed'}


def test_assert_warns():
    with testing.assert_warns(DeprecationWarning):
        warnings.warn('old', DeprecationWarning)
    with pytest.raises(AssertionError, match='UserWarning not triggered'):
        with testing.assert_warns(UserWarning):
            pass


def test_patch_wraps_the_original_so_calls_still_work():
    with testing.patch('numpy.linalg.norm') as norm:
        assert numpy.linalg.norm(numpy.array([3.0, 4.0])) == 5.0
    assert norm.call_count == 1


def test_save_and_load_npz_copies_parameters():
    source, target = L.Linear(3, 2), L.Linear(3, 2)
    testing.save_and_load_npz(source, target)
    assert torch.equal(source.W, target.W) and torch.equal(source.b, target.b)


def test_trainer_with_mock_updater_counts_epochs():
    trainer = testing.get_trainer_with_mock_updater(stop_trigger=(2, 'epoch'), iter_per_epoch=3)
    epochs = []
    trainer.extend(lambda t: epochs.append(t.updater.epoch_detail), trigger=(1, 'epoch'))
    trainer.run()
    assert trainer.updater.iteration == 6 and epochs == [1.0, 2.0]
    assert trainer.updater.update_core.call_count == 6


def test_generate_matrix_has_the_given_singular_values():
    a = testing.generate_matrix((2, 4, 3), numpy.float32, singular_values=[3.0, 2.0, 0.5])
    assert a.shape == (2, 4, 3) and a.dtype == numpy.float32
    numpy.testing.assert_allclose(numpy.linalg.svd(a, compute_uv=False),
                                  [[3.0, 2.0, 0.5]] * 2, rtol=1e-5)
    with pytest.raises(ValueError, match='negative'):
        testing.generate_matrix((2, 2), singular_values=[-1.0, 1.0])
