"""FunctionTestCase, LinkTestCase and LinkInitializersTestCase pass a correct
function or link and name what is wrong with a broken one."""

import unittest

import numpy
import torch

import chainvision.functions as F
import chainvision.links as L
from chainvision import initializers, testing
from tests.test_gradient_check import half_gradient_square
from tests.testing._scratch import run_classes, scratch_module


def _function_test(module, forward, expected=lambda x: x * x, dtype=numpy.float64, **attrs):
    @testing.inject_backend_tests(None, [{}])
    class TestFunction(testing.FunctionTestCase):
        __module__ = module.__name__
        locals().update(attrs)

        def generate_inputs(self):
            return numpy.random.uniform(0.5, 1, (3, 2)).astype(dtype),

        def forward(self, inputs, device):
            x, = inputs
            return forward(x),

        def forward_expected(self, inputs):
            x, = inputs
            return expected(x),

    return run_classes(TestFunction.classes)


def _by_test(outcomes):
    return {test: outcome for (_, test), outcome in outcomes.items()}


def test_function_test_case_passes_a_correct_function():
    module = scratch_module('scratch_function_ok')
    assert _by_test(_function_test(module, lambda x: x * x)) == {
        'test_forward': 'passed', 'test_backward': 'passed', 'test_double_backward': 'passed'}


def test_function_test_case_names_a_wrong_forward_and_a_wrong_backward():
    module = scratch_module('scratch_function_wrong')
    outcomes = _by_test(_function_test(module, lambda x: x * x + 1e-3))
    assert outcomes['test_forward'] == 'failed' and outcomes['test_backward'] == 'passed'
    outcomes = _function_test(module, half_gradient_square)
    messages = {test: run_classes.messages.get(key) for key, test in
                ((k, k[1]) for k in outcomes)}
    assert _by_test(outcomes)['test_forward'] == 'passed'
    assert 'FunctionTestError: backward is not implemented correctly' in messages['test_backward']


def test_function_test_case_compares_dtypes_and_sees_modified_inputs():
    module = scratch_module('scratch_function_dtype')
    outcomes = _function_test(module, lambda x: (x * x).float(), skip_backward_test=True,
                              skip_double_backward_test=True)
    assert _by_test(outcomes)['test_backward'] == 'skipped: skip_backward_test is set'
    message = run_classes.messages[next(k for k in outcomes if k[1] == 'test_forward')]
    assert 'Shapes and/or dtypes do not match' in message

    def square_in_place(x):
        x.data.mul_(x.data)
        return x * 1

    outcomes = _function_test(module, square_in_place, contiguous='C',
                              skip_backward_test=True, skip_double_backward_test=True)
    message = run_classes.messages[next(k for k in outcomes if k[1] == 'test_forward')]
    assert 'Input arrays have been modified during forward' in message


def test_function_test_case_inputs_are_non_contiguous_unless_contiguous_is_c():
    module = scratch_module('scratch_function_contiguous')
    seen = []

    def record(x):
        seen.append(x.is_contiguous())
        return x * x

    _function_test(module, record, skip_backward_test=True, skip_double_backward_test=True)
    _function_test(module, record, contiguous='C', skip_backward_test=True,
                   skip_double_backward_test=True)
    assert seen == [False, True]


def test_dodge_nondifferentiable_resamples_inputs_on_a_kink():
    module = scratch_module('scratch_function_kink')
    draws = []

    @testing.inject_backend_tests(['test_backward'], [{}])
    class TestAbs(testing.FunctionTestCase):
        __module__ = module.__name__
        dodge_nondifferentiable = True

        def generate_inputs(self):
            draws.append(len(draws))
            # The first draw sits on the kink of abs at 0.
            return numpy.array([0.0 if len(draws) == 1 else 0.5, -0.7]),

        def forward(self, inputs, device):
            return F.absolute(inputs[0]),

        def forward_expected(self, inputs):
            return numpy.abs(inputs[0]),

    outcomes = run_classes(TestAbs.classes)
    assert outcomes[(TestAbs.classes[1].__name__, 'test_backward')] == 'passed'
    assert len(draws) == 2


def _linear_link_test(module, expected_offset=0.0):
    @testing.inject_backend_tests(None, [{}])
    class TestLinear(testing.LinkTestCase):
        __module__ = module.__name__
        param_names = ('W', 'b')

        def generate_params(self):
            return (numpy.random.uniform(-1, 1, (3, 2)).astype(numpy.float32),
                    numpy.random.uniform(-1, 1, (3,)).astype(numpy.float32))

        def generate_inputs(self):
            return numpy.random.uniform(-1, 1, (4, 2)).astype(numpy.float32),

        def create_link(self, initializers):
            initialW, initial_bias = initializers
            return L.Linear(2, 3, initialW=initialW, initial_bias=initial_bias)

        def forward_expected(self, link, inputs):
            x, = inputs
            W, b = link.W.array.numpy(), link.b.array.numpy()
            return x.dot(W.T) + b + expected_offset,

    return _by_test(run_classes(TestLinear.classes))


def test_link_test_case_checks_forward_and_parameter_gradients():
    assert _linear_link_test(scratch_module('scratch_link_ok')) == {
        'test_forward': 'passed', 'test_backward': 'passed'}
    assert _linear_link_test(scratch_module('scratch_link_wrong'), 0.01)['test_forward'] == 'failed'


def test_link_initializers_test_case_checks_each_initializer():
    module = scratch_module('scratch_initializers')

    def make(bias_when_none):
        @testing.inject_backend_tests(None, [{}])
        class TestLinearInit(testing.LinkInitializersTestCase):
            __module__ = module.__name__
            param_names = ('W', 'b')

            def generate_params(self):
                return initializers.Constant(1), initializers.Constant(2)

            def generate_inputs(self):
                return numpy.ones((1, 2), numpy.float32),

            def create_link(self, inits):
                return L.Linear(2, 3, initialW=inits[0], initial_bias=inits[1])

            def get_initializers(self):
                return ([initializers.Constant(3), 4, numpy.full((3, 2), 5, numpy.float32)],
                        [initializers.Constant(6),
                         testing.InitializerArgument(None, bias_when_none)])

        return _by_test(run_classes(TestLinearInit.classes))

    assert make(0) == {'test_initializers': 'passed'}
    assert make(1) == {'test_initializers': 'failed'}  # Linear's default bias is 0, not 1
    assert 'LinkTestError' in next(iter(run_classes.messages.values()))


def test_unary_math_function_unittest_tests_sqrt_in_every_dtype():
    module = scratch_module('scratch_unary')

    def positive(shape, dtype):
        return tuple(numpy.random.uniform(0.5, 1, shape).astype(dtype) for _ in range(3))

    @testing.unary_math_function_unittest(F.sqrt, make_data=positive)
    class TestSqrt(unittest.TestCase):
        __module__ = module.__name__

    outcomes = run_classes(TestSqrt.classes)
    cpu = {k: v for k, v in outcomes.items() if k[1].endswith('_cpu')}
    assert len(cpu) == 6 * 3 and set(cpu.values()) == {'passed'}
    gpu = {v for k, v in outcomes.items() if k[1].endswith('_gpu')}
    assert gpu == {'passed'} if torch.cuda.is_available() else all(
        v.startswith('skipped') for v in gpu)
