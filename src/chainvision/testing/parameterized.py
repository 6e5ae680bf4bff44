"""``parameterize`` and the parameter-grid builders ``product``/``product_dict``."""

import functools
import itertools
import types
import unittest

from chainvision.testing import _bundle

_VALUE_MAX_CHARS = 100
_NAME_MAX_CHARS = 5000


def _shorten(text, max_chars):
    """Cut the middle of ``text`` to ``...`` so that it fits ``max_chars``."""
    if len(text) <= max_chars:
        return text
    head = (max_chars - 3) // 2
    return text[:head] + '...' + text[len(text) - (max_chars - 3 - head):]


def _value_name(value):
    name = getattr(value, '__name__', None)
    return name if isinstance(name, str) else repr(value)


def _class_name(base_name, index, params):
    pairs = ', '.join('{}={}'.format(k, _shorten(_value_name(v), _VALUE_MAX_CHARS))
                      for k, v in sorted(params.items()))
    return '{}_param_{}_{{{}}}'.format(base_name, index, _shorten(pairs, _NAME_MAX_CHARS))


def _as_method(function):
    """A parameter that is a plain function is called without ``self``
    (``self.op(x)`` calls ``op(x)``), as Chainer does."""
    @functools.wraps(function)
    def method(self, *args, **kwargs):
        return function(*args, **kwargs)
    return method


def _variant(base, index, params):
    def __str__(self):
        return '{}  parameter: {}'.format(base.__str__(self), params)

    members = {'__str__': __str__}
    for key, value in params.items():
        members[key] = _as_method(value) if isinstance(value, types.FunctionType) else value

    def wrap(method):
        @functools.wraps(method)
        def test(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except unittest.SkipTest:
                raise
            except Exception as error:
                note = 'Parameterized test {}.{} failed with parameters:\n{}'.format(
                    base.__name__, method.__name__,
                    '\n'.join('  {}: {}'.format(k, v) for k, v in sorted(params.items())))
                # Python 3.10 has no add_note: print it (pytest shows captured output).
                getattr(error, 'add_note', print)(note)
                raise
        return test

    return _class_name(base.__name__, index, params), members, wrap


def parameterize(*params):
    """Class decorator: one test class per dict of ``params``, with the dict's
    items as class attributes.

    >>> import unittest, numpy
    >>> from chainvision import functions as F, testing
    >>> @testing.parameterize(*testing.product({'dtype': [numpy.float32, numpy.float64],
    ...                                         'shape': [(3, 2), ()]}))
    ... class TestRelu(unittest.TestCase):
    ...     def test_shape(self):
    ...         assert F.relu(numpy.zeros(self.shape, self.dtype)).shape == self.shape
    >>> len(TestRelu.classes), TestRelu.classes[0].__name__
    (4, 'TestRelu_param_0_{dtype=float32, shape=(3, 2)}')

    generates four classes ``TestRelu_param_0_{dtype=float32, shape=(3, 2)}``...
    in the test module.  A failure names the parameters.  Decorators stack:
    each class one decorator generated is expanded by the next.
    """
    return _bundle.make_decorator(
        lambda base: (_variant(base, i, p) for i, p in enumerate(params)))


def _values_to_dicts(names, values):
    """``('a,b', [(1, 2), (3, 4)])`` -> ``[{'a': 1, 'b': 2}, {'a': 3, 'b': 4}]``;
    a single name takes each value whole."""
    if not isinstance(names, str):
        raise TypeError('names must be a comma-separated string, got {!r}.'.format(names))
    if not isinstance(values, (tuple, list)):
        raise TypeError('values must be a tuple or a list, got {!r}.'.format(type(values)))
    keys = names.split(',')
    if len(keys) == 1:
        return [{keys[0]: value} for value in values]
    for value in values:
        if not isinstance(value, (tuple, list)) or len(value) != len(keys):
            raise ValueError('{!r} does not give one value to each of {}.'.format(value, keys))
    return [dict(zip(keys, value)) for value in values]


def from_pytest_parameterize(names, values):
    """The parameter dicts of a pytest-style ``names, values`` pair
    (``'a,b', [(1, 2), (3, 4)]``)."""
    return _values_to_dicts(names, values)


def parameterize_pytest(names, values):
    """:func:`parameterize` with pytest's ``names, values`` arguments."""
    return parameterize(*from_pytest_parameterize(names, values))


def product_dict(*parameters):
    """The Cartesian product of lists of dicts, each combination merged into
    one dict: ``product_dict([{'a': 1}, {'a': 2}], [{'b': 3}])`` is
    ``[{'a': 1, 'b': 3}, {'a': 2, 'b': 3}]``."""
    return [{k: v for d in dicts for k, v in d.items()}
            for dicts in itertools.product(*parameters)]


def product(parameter):
    """All combinations of parameter values.

    Args:
        parameter: either a dict ``{name: values}`` (a name may join several
            names with commas, its values then being tuples, as in pytest),
            or a list of lists of dicts (combined by :func:`product_dict`).

    Returns:
        list of dict, keys sorted by name for a dict argument.
    """
    if isinstance(parameter, dict):
        return product_dict(*[_values_to_dicts(names, values)
                              for names, values in sorted(parameter.items())])
    if isinstance(parameter, list):
        if not all(isinstance(group, list) and all(isinstance(d, dict) for d in group)
                   for group in parameter):
            raise TypeError('parameter must be a list of lists of dicts')
        return product_dict(*parameter)
    raise TypeError('parameter must be either dict or list. Actual: {}'.format(type(parameter)))
