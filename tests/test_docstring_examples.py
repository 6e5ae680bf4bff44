"""Every ``>>>`` example in the docstrings of ``src/chainvision`` runs and
prints what it shows (``doctest``), so the documentation cannot drift from
the code.  An example that needs data, a network or minutes is marked
``# doctest: +SKIP`` where it is written."""

import doctest
import importlib
import pkgutil
import sys
import types

import pytest

import chainvision


def _module_names():
    prefix = chainvision.__name__ + '.'
    return [chainvision.__name__] + sorted(
        info.name for info in pkgutil.walk_packages(chainvision.__path__, prefix))


def _import(name):
    """The module ``name``, or None when it needs an optional package that
    is not installed (an extra such as ``onnx``)."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name.split('.')[0] == chainvision.__name__:
            raise
        return None


def _docstring_examples():
    finder = doctest.DocTestFinder(exclude_empty=True)
    modules = [(name, _import(name)) for name in _module_names()]
    return [pytest.param(test, id=test.name) for name, module in modules if module is not None
            for test in finder.find(module, name) if test.examples]


@pytest.mark.parametrize('test', _docstring_examples())
def test_docstring_example(test, monkeypatch):
    # What an example defines belongs to a scratch module, as it would to the
    # reader's own (Chainer's test decorators add classes to that module).
    scratch = types.ModuleType('docstring_example')
    monkeypatch.setitem(sys.modules, scratch.__name__, scratch)
    monkeypatch.setitem(test.globs, '__name__', scratch.__name__)
    runner = doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report = []
    result = runner.run(test, out=report.append)
    assert result.failed == 0, ''.join(report)


def test_the_examples_are_found():
    # The ResNet-20 parameter count in the registry's docstring is one of them.
    names = [param.id for param in _docstring_examples()]
    assert 'chainvision.models._registry' in names
