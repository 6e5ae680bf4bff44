"""parameterize, product, product_dict and the classes they generate."""

import unittest

import pytest

from chainvision import testing
from tests.testing._scratch import run_classes, scratch_module


def test_product_of_a_dict_sorts_names_and_combines_every_value():
    assert testing.product({'b': [1, 2], 'a': ['x']}) == [
        {'a': 'x', 'b': 1}, {'a': 'x', 'b': 2}]


def test_product_accepts_comma_joined_names_with_tuples():
    assert testing.product({'x,y': [(1, 2), (3, 4)], 'z': [0]}) == [
        {'x': 1, 'y': 2, 'z': 0}, {'x': 3, 'y': 4, 'z': 0}]


def test_product_of_lists_of_dicts_merges_each_combination():
    grid = testing.product([[{'a': 1}, {'a': 2}], [{'b': 3, 'c': 4}]])
    assert grid == [{'a': 1, 'b': 3, 'c': 4}, {'a': 2, 'b': 3, 'c': 4}]
    assert testing.product_dict([{'a': 1}], [{'b': 2}, {'b': 3}]) == [
        {'a': 1, 'b': 2}, {'a': 1, 'b': 3}]


def test_product_rejects_other_types():
    with pytest.raises(TypeError, match='dict or list'):
        testing.product(((1, 2),))
    with pytest.raises(TypeError, match='list of lists of dicts'):
        testing.product([{'a': 1}])


def test_parameterize_pytest_gives_one_dict_per_value_tuple():
    assert testing.from_pytest_parameterize('a,b', [(1, 2), (3, 4)]) == [
        {'a': 1, 'b': 2}, {'a': 3, 'b': 4}]
    assert testing.from_pytest_parameterize('a', [(1, 2)]) == [{'a': (1, 2)}]


def test_parameterize_generates_named_classes_into_the_module():
    module = scratch_module('scratch_parameterize')

    class TestSquare(unittest.TestCase):
        __module__ = module.__name__

        def test_square(self):
            self.assertEqual(self.x * self.x, self.expected)

    bundle = testing.parameterize({'x': 2, 'expected': 4}, {'x': 3, 'expected': 10})(TestSquare)
    names = [cls.__name__ for cls in bundle.classes]
    assert names == ['TestSquare_param_0_{expected=4, x=2}',
                     'TestSquare_param_1_{expected=10, x=3}']
    assert all(getattr(module, name) is cls for name, cls in zip(names, bundle.classes))
    outcomes = run_classes(bundle.classes)
    assert list(outcomes.values()) == ['passed', 'failed']
    message = run_classes.messages[(names[1], 'test_square')]
    assert 'failed with parameters' in message and 'x: 3' in message


def test_stacked_parameterize_expands_every_class_and_drops_the_intermediate_ones():
    module = scratch_module('scratch_stacked')

    @testing.parameterize({'a': 1}, {'a': 2})
    @testing.parameterize({'b': 10}, {'b': 20}, {'b': 30})
    class TestSum(unittest.TestCase):
        __module__ = module.__name__

        def test_sum(self):
            self.assertLess(self.a + self.b, 100)

    generated = [name for name in vars(module) if name.startswith('TestSum')]
    assert len(generated) == 6
    assert all('_param_' in name.split('}', 1)[1] for name in generated)
    assert set(run_classes([getattr(module, n) for n in generated]).values()) == {'passed'}


def test_a_function_parameter_is_called_without_self():
    module = scratch_module('scratch_function_param')

    @testing.parameterize({'op': lambda v: v + 1})
    class TestOp(unittest.TestCase):
        __module__ = module.__name__

        def test_op(self):
            self.assertEqual(self.op(1), 2)

    assert list(run_classes(TestOp.classes).values()) == ['passed']
