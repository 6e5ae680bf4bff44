"""Ready-made tests of functions and links: :class:`FunctionTestCase`,
:class:`LinkTestCase` and :class:`LinkInitializersTestCase` (Chainer's
``chainer.testing.function_link``).

A subclass says how to make inputs, how to run the function or link, and what
the outputs should be (computed with NumPy); the base class then tests the
forward values, the gradients against numerical ones
(:func:`~chainvision.gradient_check.check_backward`) and, for functions, the
second-order gradients, under each backend configuration that
:func:`~chainvision.testing.inject_backend_tests` injects::

    @testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
    class TestReLU(testing.FunctionTestCase):
        dodge_nondifferentiable = True   # relu has a kink at 0

        def generate_inputs(self):
            return numpy.random.uniform(-1, 1, (2, 3)).astype(numpy.float32),

        def forward(self, inputs, device):
            x, = inputs
            return F.relu(x),

        def forward_expected(self, inputs):
            x, = inputs
            return numpy.maximum(x, 0),

What the subclass sees: ``forward`` gets the inputs as tensors (Chainer's
variables), ``forward_expected``, ``check_forward_outputs`` and
``generate_grad_outputs`` get NumPy arrays.  ``forward_expected`` may return
tensors (say, from an ``F`` function applied to NumPy inputs): they are
converted to NumPy arrays, as Chainer's ``.array`` of a CPU variable is one.
Unless ``contiguous = 'C'``, inputs and output gradients are non-contiguous
views.
"""

import contextlib
import numbers
import unittest

import numpy
import torch

from chainvision import backend, gradient_check, initializers
from chainvision.link import Link
from chainvision.testing.array import as_noncontiguous_array, assert_allclose
from chainvision.variable import Variable

# Chainer resamples a non-differentiable point forever; give up after this many.
_MAX_RESAMPLES = 100


class _TestError(AssertionError):
    """Base of the errors that say the function or link under test is wrong."""

    @classmethod
    def check(cls, condition, message):
        """Raise with ``message`` unless ``condition``."""
        if not condition:
            raise cls(message)

    @classmethod
    def fail(cls, message, exc=None):
        """Raise with ``message`` (chained to ``exc`` if given)."""
        raise cls(message if exc is None else '{}\n\n{}'.format(message, exc)) from exc

    @classmethod
    @contextlib.contextmanager
    def raise_if_fail(cls, message, error_types=AssertionError):
        """Context turning an ``error_types`` error inside it into this error."""
        try:
            yield
        except error_types as error:
            cls.fail(message, error)


class FunctionTestError(_TestError):
    """The function under test is implemented incorrectly."""


class LinkTestError(_TestError):
    """The link under test is implemented incorrectly."""


def _check_initializer_like(value):
    if not (value is None or isinstance(value, (numbers.Number, numpy.number, numpy.ndarray,
                                                torch.Tensor)) or callable(value)):
        raise TypeError('{!r} is not an initializer, a number, an array or None.'.format(value))


class InitializerArgument:
    """A link's constructor argument and the initializer the link actually
    uses for it, for :meth:`LinkInitializersTestCase.get_initializers` when
    they differ (``InitializerArgument(None, 0)``: passing ``None`` must
    initialize with zeros).

    Raises:
        ValueError: when ``expected_initializer`` is ``None``.
    """

    def __init__(self, argument_value, expected_initializer):
        if expected_initializer is None:
            raise ValueError('Expected initializer cannot be None.')
        _check_initializer_like(expected_initializer)
        self.argument_value = argument_value
        self.expected_initializer = expected_initializer


def _argument_value(init):
    return init.argument_value if isinstance(init, InitializerArgument) else init


def _expected_initializer(init):
    if isinstance(init, InitializerArgument):
        init = init.expected_initializer
    if isinstance(init, initializers.Initializer):
        return init
    return initializers._get_initializer(init)


def _check_generated_initializer(init):
    if init is None:
        raise ValueError('A None initializer must be wrapped in an InitializerArgument along '
                         'with the expected initializer it falls back to.')
    if not isinstance(init, InitializerArgument):
        _check_initializer_like(init)


def _check_numpy_arrays(arrays, what):
    """What a test's ``generate_*``/``forward_expected`` returned must be a
    tuple of NumPy arrays (or ``None``)."""
    if not isinstance(arrays, tuple):
        raise TypeError('`{}()` must return a tuple, not {}.'.format(what, type(arrays)))
    if not all(a is None or isinstance(a, numpy.ndarray) for a in arrays):
        raise TypeError('{}() must return a tuple of NumPy arrays or None.\nActual: {}'.format(
            what, tuple(type(a) for a in arrays)))
    return arrays


def _as_numpy_tuple(arrays, what):
    if not isinstance(arrays, tuple):
        raise TypeError('`{}()` must return a tuple, not {}.'.format(what, type(arrays)))
    return tuple(None if a is None else numpy.asarray(backend.to_cpu(a)) for a in arrays)


def _check_variables(outputs, what, error_class):
    if not isinstance(outputs, tuple):
        error_class.fail('`{}()` must return a tuple, not {}.'.format(what, type(outputs)))
    if not all(isinstance(y, torch.Tensor) for y in outputs):
        error_class.fail('{}() must return a tuple of variables (tensors).\nActual: {}'.format(
            what, ', '.join(str(type(y)) for y in outputs)))
    return outputs


def _describe(arrays):
    return ', '.join('{}:{}'.format(a.shape, a.dtype) for a in arrays)


def _check_arrays_equal(actual, expected, error_class, **options):
    """Fail with ``error_class`` unless the arrays agree in number, shapes,
    dtypes and values (``options`` go to :func:`assert_allclose`)."""
    details = ''
    if len(actual) != len(expected):
        message = 'Number of outputs ({}, {}) does not match'.format(len(actual), len(expected))
    elif any(a.shape != e.shape or a.dtype != e.dtype for a, e in zip(actual, expected)):
        message = 'Shapes and/or dtypes do not match'
    else:
        errors = []
        for i, (a, e) in enumerate(zip(actual, expected)):
            try:
                assert_allclose(a, e, **options)
            except AssertionError as error:
                errors.append('Error details of output [{}]:\n{}'.format(i, error))
        if not errors:
            return
        message = 'Outputs do not match the expected values.'
        details = '\n\n' + '\n'.join(errors)
    error_class.fail('{}\nExpected shapes and dtypes: {}\nActual shapes and dtypes:   {}{}'.format(
        message, _describe(expected), _describe(actual), details))


def _until_differentiable(check, dodge):
    """Run ``check``; with ``dodge``, rerun it (it draws new inputs) while it
    raises :class:`~chainvision.gradient_check.NondifferentiableError`."""
    if not dodge:
        check()
        return
    for _ in range(_MAX_RESAMPLES):
        try:
            check()
            return
        except gradient_check.NondifferentiableError:
            continue
    raise AssertionError('No differentiable point found in {} samples of the inputs.'.format(
        _MAX_RESAMPLES))


class _ContiguityMixin:
    """``contiguous = None`` (default): inputs are non-contiguous views;
    ``'C'``: C-contiguous arrays."""

    contiguous = None

    def _to_noncontiguous_as_needed(self, arrays):
        if self.contiguous is None:
            return as_noncontiguous_array(arrays)
        if self.contiguous == 'C':
            return arrays
        raise ValueError('Invalid value of `contiguous`: {}'.format(self.contiguous))


def _random_like(templates):
    """Uniform [-1, 1) arrays shaped and typed like ``templates``."""
    return tuple(numpy.random.uniform(-1, 1, a.shape).astype(a.dtype) for a in templates)


class _CheckOptions:
    """The tolerances and switches that function and link tests share."""

    check_forward_options = None
    check_backward_options = None
    skip_forward_test = False
    skip_backward_test = False
    dodge_nondifferentiable = False
    numerical_grad_dtype = numpy.float64

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Per instance, as setUp updates them.
        self.check_forward_options = {}
        self.check_backward_options = {}


class FunctionTestBase(_CheckOptions, _ContiguityMixin):
    """The machinery of :class:`FunctionTestCase`, without the test methods."""

    backend_config = None
    check_double_backward_options = None
    skip_double_backward_test = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.check_double_backward_options = {}

    def before_test(self, test_name):
        """Called before each test (``'test_forward'``, ``'test_backward'``,
        ``'test_double_backward'``); raise ``unittest.SkipTest`` here to skip."""

    def forward(self, inputs, device):
        """Run the function on ``inputs`` (tensors); return a tuple of tensors."""
        raise NotImplementedError('forward() is not implemented.')

    def forward_expected(self, inputs):
        """The expected outputs for ``inputs`` (NumPy arrays), as a tuple."""
        raise NotImplementedError('forward_expected() is not implemented.')

    def generate_inputs(self):
        """The inputs, as a tuple of NumPy arrays."""
        raise NotImplementedError('generate_inputs() is not implemented.')

    def generate_grad_outputs(self, outputs_template):
        """Output gradients (NumPy, or ``None`` to omit one): uniform in [-1, 1)."""
        return _random_like(outputs_template)

    def generate_grad_grad_inputs(self, inputs_template):
        """Second-order input gradients (NumPy, or ``None``): uniform in [-1, 1)."""
        return _random_like(inputs_template)

    def check_forward_outputs(self, outputs, expected_outputs):
        """Compare the outputs with the expected ones (tuples of NumPy arrays);
        raise :class:`FunctionTestError` if they differ."""
        _check_arrays_equal(outputs, expected_outputs, FunctionTestError,
                            **self.check_forward_options)

    def _forward_expected(self, inputs):
        return _as_numpy_tuple(self.forward_expected(inputs), 'forward_expected')

    def _forward(self, inputs, backend_config):
        with backend_config:
            outputs = self.forward(tuple(inputs), backend_config.device)
        return _check_variables(outputs, 'forward', FunctionTestError)

    def _start(self, backend_config, test_name):
        self.backend_config = backend_config
        self.test_name = test_name
        self.before_test(test_name)

    def run_test_forward(self, backend_config):
        """Check the outputs against ``forward_expected`` and that the inputs
        are left unchanged."""
        if self.skip_forward_test:
            raise unittest.SkipTest('skip_forward_test is set')
        self._start(backend_config, 'test_forward')
        cpu_inputs = self._to_noncontiguous_as_needed(
            _check_numpy_arrays(self.generate_inputs(), 'generate_inputs'))
        originals = [a.copy() for a in cpu_inputs]
        expected = self._forward_expected(cpu_inputs)
        inputs = self._to_noncontiguous_as_needed(backend_config.get_array(cpu_inputs))
        outputs = self._forward(
            [Variable(a, requires_grad=a.dtype.kind == 'f') for a in inputs], backend_config)
        modified = [i for i, (a, b) in enumerate(zip(originals, inputs))
                    if not numpy.array_equal(a, backend.to_cpu(b), equal_nan=a.dtype.kind in 'fc')]
        if modified:
            FunctionTestError.fail('Input arrays have been modified during forward.\n'
                                   'Indices of modified inputs: {}'.format(modified))
        self.check_forward_outputs(tuple(numpy.asarray(backend.to_cpu(y)) for y in outputs),
                                   expected)

    def _inputs_and_grads(self, backend_config, second_order):
        inputs = _check_numpy_arrays(self.generate_inputs(), 'generate_inputs')
        grad_outputs = _check_numpy_arrays(
            self.generate_grad_outputs(self._forward_expected(inputs)), 'generate_grad_outputs')
        arrays = [inputs, grad_outputs]
        if second_order:
            grad_grad_inputs = _check_numpy_arrays(
                self.generate_grad_grad_inputs(inputs), 'generate_grad_grad_inputs')
            # Only float inputs have gradients.
            arrays.append(tuple(g for g in grad_grad_inputs if g is None or g.dtype.kind == 'f'))
        return [self._to_noncontiguous_as_needed(backend_config.get_array(a)) for a in arrays]

    def run_test_backward(self, backend_config):
        """Check the gradients against numerical ones."""
        if self.skip_backward_test:
            raise unittest.SkipTest('skip_backward_test is set')
        self._start(backend_config, 'test_backward')

        def check():
            inputs, grad_outputs = self._inputs_and_grads(backend_config, second_order=False)
            with FunctionTestError.raise_if_fail('backward is not implemented correctly'):
                gradient_check.check_backward(
                    lambda *xs: self._forward(xs, backend_config), inputs, grad_outputs,
                    dtype=self.numerical_grad_dtype,
                    detect_nondifferentiable=self.dodge_nondifferentiable,
                    **self.check_backward_options)

        _until_differentiable(check, self.dodge_nondifferentiable)

    def run_test_double_backward(self, backend_config):
        """Check the second-order gradients against numerical ones."""
        if self.skip_double_backward_test:
            raise unittest.SkipTest('skip_double_backward_test is set')
        self._start(backend_config, 'test_double_backward')

        def check():
            inputs, grad_outputs, grad_grad_inputs = self._inputs_and_grads(
                backend_config, second_order=True)
            with FunctionTestError.raise_if_fail('double backward is not implemented correctly'):
                gradient_check.check_double_backward(
                    lambda *xs: self._forward(xs, backend_config), inputs, grad_outputs,
                    grad_grad_inputs, dtype=self.numerical_grad_dtype,
                    detect_nondifferentiable=self.dodge_nondifferentiable,
                    **self.check_double_backward_options)

        _until_differentiable(check, self.dodge_nondifferentiable)


class FunctionTestCase(FunctionTestBase, unittest.TestCase):
    """Forward, backward and double-backward tests of a function.

    Override ``generate_inputs()``, ``forward(inputs, device)`` and
    ``forward_expected(inputs)``; optionally ``before_test``,
    ``generate_grad_outputs``, ``generate_grad_grad_inputs`` and
    ``check_forward_outputs``.  Attributes: ``skip_forward_test``,
    ``skip_backward_test``, ``skip_double_backward_test``,
    ``dodge_nondifferentiable`` (resample the inputs while they lie on a
    kink), ``numerical_grad_dtype`` (float64), ``contiguous``, and the option
    dicts ``check_forward_options`` (for :func:`assert_allclose`),
    ``check_backward_options`` and ``check_double_backward_options`` (for
    the gradient checks), which ``setUp`` may update.  Use with
    :func:`~chainvision.testing.inject_backend_tests`.
    """

    def test_forward(self, backend_config):
        """The outputs equal ``forward_expected``'s."""
        self.run_test_forward(backend_config)

    def test_backward(self, backend_config):
        """The gradients equal numerical gradients."""
        self.run_test_backward(backend_config)

    def test_double_backward(self, backend_config):
        """The second-order gradients equal numerical ones."""
        self.run_test_double_backward(backend_config)


class _LinkTestBase(_ContiguityMixin):
    """What :class:`LinkTestCase` and :class:`LinkInitializersTestCase` share."""

    backend_config = None
    param_names = ()

    def before_test(self, test_name):
        """Called before each test; raise ``unittest.SkipTest`` here to skip."""

    def generate_params(self):
        """One initializer-like per initializer argument of the link (a tuple)."""
        raise NotImplementedError('generate_params is not implemented.')

    def generate_inputs(self):
        """The inputs, as a tuple of NumPy arrays."""
        raise NotImplementedError('generate_inputs is not implemented.')

    def create_link(self, initializers):
        """Return the link, built with the given initializer-likes."""
        raise NotImplementedError('create_link is not implemented.')

    def forward(self, link, inputs, device):
        """Run the link on ``inputs`` (tensors); default: ``link(*inputs)``."""
        outputs = link(*inputs)
        return outputs if isinstance(outputs, tuple) else (outputs,)

    def check_forward_outputs(self, outputs, expected_outputs):
        """Compare the outputs with the expected ones (tuples of NumPy arrays);
        raise :class:`LinkTestError` if they differ."""
        _check_arrays_equal(outputs, expected_outputs, LinkTestError,
                            **self.check_forward_options)

    def _generate_params(self):
        params = self.generate_params()
        if not isinstance(params, (tuple, list)):
            raise TypeError('`generate_params` must return a tuple or a list.')
        for init in params:
            _check_generated_initializer(init)
        return params

    def _create_link(self, inits, backend_config):
        link = self.create_link([_argument_value(i) for i in inits])
        if not isinstance(link, Link):
            raise TypeError('`create_link` must return a chainvision.Link object.')
        return link.to_device(backend_config.device)

    def _forward(self, link, inputs, backend_config):
        with backend_config:
            outputs = self.forward(link, tuple(inputs), backend_config.device)
        return _check_variables(outputs, 'forward', LinkTestError)

    def _inputs(self, backend_config):
        inputs = _check_numpy_arrays(self.generate_inputs(), 'generate_inputs')
        return inputs, self._to_noncontiguous_as_needed(backend_config.get_array(inputs))

    def _create_initialized_link(self, inits, backend_config):
        """A link that has run forward once (lazily shaped parameters exist),
        with its inputs and outputs."""
        link = self._create_link(inits, backend_config)
        _, inputs = self._inputs(backend_config)
        outputs = self._forward(link, [Variable(x) for x in inputs], backend_config)
        link.cleargrads()
        return link, inputs, outputs

    def _params(self, link):
        params = [getattr(link, name, None) for name in self.param_names]
        for name, param in zip(self.param_names, params):
            LinkTestError.check(param is not None,
                                "Link does not have a parameter named '{}'.".format(name))
        return params


class LinkTestCase(_CheckOptions, _LinkTestBase, unittest.TestCase):
    """Forward and backward tests of a link.

    Override ``generate_params()`` (the initializer arguments),
    ``create_link(initializers)``, ``generate_inputs()`` and
    ``forward_expected(link, inputs)`` (``link`` on the CPU, ``inputs`` NumPy
    arrays); optionally ``forward(link, inputs, device)``,
    ``generate_grad_outputs``, ``check_forward_outputs`` and ``before_test``.
    ``param_names`` lists the parameters whose gradients are checked.
    Attributes as in :class:`FunctionTestCase` (no double backward).
    """

    def forward_expected(self, link, inputs):
        """The expected outputs of ``link`` (on the CPU) for NumPy ``inputs``."""
        raise NotImplementedError('forward_expected() is not implemented.')

    def generate_grad_outputs(self, outputs_template):
        """Output gradients (NumPy): uniform in [-1, 1)."""
        return _random_like(outputs_template)

    def test_forward(self, backend_config):
        """The outputs equal ``forward_expected``'s."""
        if self.skip_forward_test:
            raise unittest.SkipTest('skip_forward_test is set')
        self.backend_config = backend_config
        self.before_test('test_forward')
        link = self._create_link(self._generate_params(), backend_config)
        cpu_inputs, inputs = self._inputs(backend_config)
        outputs = self._forward(link, [Variable(x) for x in inputs], backend_config)
        outputs = tuple(numpy.asarray(backend.to_cpu(y)) for y in outputs)
        link.to_device(backend.get_device(-1))
        expected = _as_numpy_tuple(self.forward_expected(link, cpu_inputs), 'forward_expected')
        self.check_forward_outputs(outputs, expected)

    def test_backward(self, backend_config):
        """The gradients of the inputs and of ``param_names`` equal numerical ones."""
        if self.skip_backward_test:
            raise unittest.SkipTest('skip_backward_test is set')
        self.backend_config = backend_config
        self.before_test('test_backward')

        def check():
            link, inputs, outputs = self._create_initialized_link(self._generate_params(),
                                                                  backend_config)
            grad_outputs = _check_numpy_arrays(
                self.generate_grad_outputs(_as_numpy_tuple(outputs, 'forward')),
                'generate_grad_outputs')
            grad_outputs = self._to_noncontiguous_as_needed(backend_config.get_array(grad_outputs))
            with LinkTestError.raise_if_fail('backward is not implemented correctly'):
                gradient_check.check_backward(
                    lambda *xs: self._forward(link, xs, backend_config), inputs, grad_outputs,
                    params=self._params(link), dtype=self.numerical_grad_dtype,
                    detect_nondifferentiable=self.dodge_nondifferentiable,
                    **self.check_backward_options)

        _until_differentiable(check, self.dodge_nondifferentiable)


class LinkInitializersTestCase(_LinkTestBase, unittest.TestCase):
    """Tests that a link initializes its parameters as told.

    Override ``generate_params()``, ``create_link(initializers)``,
    ``generate_inputs()`` and ``get_initializers()``: per initializer
    argument, the initializer-likes to try (deterministic ones; wrap ``None``
    or any argument the link translates in :class:`InitializerArgument`).
    Each is passed in turn, the others coming from ``generate_params``; the
    parameter named in ``param_names`` at the same position must equal what
    the initializer produces (``check_initializers_options`` for
    :func:`assert_allclose`).
    """

    check_initializers_options = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.check_initializers_options = {}

    def get_initializers(self):
        """Per initializer argument, a tuple of initializer-likes to test."""
        raise NotImplementedError('get_initializers is not implemented.')

    def test_initializers(self, backend_config):
        """Each parameter equals the output of the initializer it was given."""
        self.backend_config = backend_config
        self.before_test('test_initializers')
        all_inits = self.get_initializers()
        if not isinstance(all_inits, (tuple, list)) or \
                not all(isinstance(inits, (tuple, list)) for inits in all_inits):
            raise TypeError('`get_initializers` must return a tuple or a list of tuples or lists.')
        for i_param, inits in enumerate(all_inits):
            for init in inits:
                _check_generated_initializer(init)
                arguments = list(self._generate_params())
                arguments[i_param] = init
                self._check_initializer(i_param, arguments, backend_config)

    def _check_initializer(self, i_param, arguments, backend_config):
        link, _, _ = self._create_initialized_link(arguments, backend_config)
        actual = numpy.asarray(backend.to_cpu(self._params(link)[i_param]))
        expected = numpy.empty_like(actual)
        with torch.no_grad():
            _expected_initializer(arguments[i_param])(torch.from_numpy(expected))
        _check_arrays_equal((actual,), (expected,), LinkTestError,
                            **self.check_initializers_options)
