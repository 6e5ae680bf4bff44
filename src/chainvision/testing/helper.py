"""Conditions on installed packages, warnings and patching (Chainer's
``chainer.testing.helper``)."""

import contextlib
import importlib
import importlib.metadata
import unittest
import unittest.mock
import warnings


def _satisfied(requirement):
    """Whether the installed distributions satisfy a requirement string
    (``'numpy>=1.10'``); ``packaging`` (a pytest dependency) is imported here."""
    from packaging.requirements import Requirement
    parsed = Requirement(requirement)
    try:
        version = importlib.metadata.version(parsed.name)
    except importlib.metadata.PackageNotFoundError:
        return False
    return parsed.specifier.contains(version, prereleases=True)


def with_requires(*requirements):
    """Decorator: skip the test unless every requirement (``'scipy'``,
    ``'numpy>=1.17'``) is installed."""
    skip = not all(_satisfied(r) for r in requirements)
    return unittest.skipIf(skip, 'requires: {}'.format(','.join(requirements)))


def without_requires(*requirements):
    """Decorator: skip the test when every requirement is installed."""
    skip = all(_satisfied(r) for r in requirements)
    return unittest.skipIf(skip, 'requires: {}'.format(','.join(requirements)))


@contextlib.contextmanager
def assert_warns(expected):
    """Context that fails unless a warning of class ``expected`` is issued inside it
    (every warning is recorded, even one already shown)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        yield
    if not any(isinstance(w.message, expected) for w in caught):
        raise AssertionError('{} not triggered'.format(getattr(expected, '__name__', expected)))


def _object_at(dotted_name):
    module_name, _, rest = dotted_name.partition('.')
    obj = importlib.import_module(module_name)
    for part in rest.split('.') if rest else ():
        obj = getattr(obj, part)
    return obj


def patch(target, *args, **kwargs):
    """``unittest.mock.patch`` that wraps the original object by default, so the
    patched callable still does its work while calls are recorded.

    Args:
        target (str): dotted name of the object to patch.
        wraps: what the mock calls (default: the object at ``target``).
        *args, **kwargs: passed on to ``unittest.mock.patch``.
    """
    wraps = kwargs.pop('wraps') if 'wraps' in kwargs else _object_at(target)
    return unittest.mock.patch(target, *args, wraps=wraps, **kwargs)
