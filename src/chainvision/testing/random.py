"""Fixed random numbers in tests: :func:`fix_random` and :func:`generate_seed`.

Chainer seeds NumPy (and CuPy); chainvision's initializers and random
functions draw from PyTorch's generator, so it is seeded too.  Set
``CHAINER_TEST_RANDOM_NONDETERMINISTIC=1`` to seed from the OS instead.
"""

import functools
import os
import random
import types

import numpy
import torch

from chainvision.testing import _bundle

_SEED = 100
_saved_states = []  # one (python, numpy, torch) tuple while a fixed-random test runs


def _setup_random():
    """Seed the generators on the outermost call; nested calls (a retried test
    inside a fixed-random class) keep the sequence going."""
    if not _saved_states:
        deterministic = not int(os.environ.get('CHAINER_TEST_RANDOM_NONDETERMINISTIC', '0'))
        state = random.getstate(), numpy.random.get_state(), torch.get_rng_state()
        if deterministic:
            numpy.random.seed(_SEED)
            torch.manual_seed(_SEED)
        else:
            numpy.random.seed()
            torch.seed()
        _saved_states.append(state)
    else:
        _saved_states.append(None)


def _teardown_random():
    if not _saved_states:
        raise RuntimeError('_teardown_random without _setup_random')
    state = _saved_states.pop()
    if state is not None:
        python_state, numpy_state, torch_state = state
        random.setstate(python_state)
        numpy.random.set_state(numpy_state)
        torch.set_rng_state(torch_state)


def generate_seed():
    """A seed drawn from NumPy's fixed generator (inside a :func:`fix_random` test)."""
    if not _saved_states:
        raise RuntimeError('generate_seed needs fix_random: random is not set up')
    return numpy.random.randint(0xffffffff)


def _fixed_method(method):
    @functools.wraps(method)
    def test(self, *args, **kwargs):
        _setup_random()
        try:
            return method(self, *args, **kwargs)
        finally:
            _teardown_random()
    return test


def _fix_class(cls, setup_method, teardown_method):
    original_setup = getattr(cls, setup_method)
    original_teardown = getattr(cls, teardown_method)

    @functools.wraps(original_setup)
    def setup(self):
        _setup_random()
        original_setup(self)

    @functools.wraps(original_teardown)
    def teardown(self):
        try:
            original_teardown(self)
        finally:
            _teardown_random()

    setattr(cls, setup_method, setup)
    setattr(cls, teardown_method, teardown)


def fix_random(*, setup_method='setUp', teardown_method='tearDown'):
    """Decorator: every test starts from the same random state (NumPy, Python's
    ``random`` and PyTorch seeded with 100) and leaves the previous state
    behind it.

    Applied to a test method, it wraps that method; applied to a test class (or
    to the classes ``parameterize`` generated), it wraps ``setup_method`` and
    ``teardown_method``, so ``setUp`` draws fixed numbers too.  Apply it
    outside ``condition.retry``/``repeat`` (each trial then draws new numbers).
    """
    def decorator(target):
        if isinstance(target, types.FunctionType) and target.__name__.startswith('test_'):
            return _fixed_method(target)
        for cls in _bundle.as_bundle(target).classes:
            _fix_class(cls, setup_method, teardown_method)
        return target
    return decorator
