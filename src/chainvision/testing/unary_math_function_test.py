"""A whole test class for an elementwise math function from one decorator
(Chainer's ``unary_math_function_unittest``)."""

import numpy

from chainvision import functions, gradient_check
from chainvision.backend import to_cpu, to_device
from chainvision.function import Function
from chainvision.testing import attr
from chainvision.testing.array import assert_allclose
from chainvision.testing.parameterized import parameterize, product
from chainvision.variable import Variable


def _default_data(shape, dtype):
    """Input, output gradient and second-order gradient, uniform in [-1, 1)."""
    return tuple(numpy.random.uniform(-1, 1, shape).astype(dtype, copy=False) for _ in range(3))


def _name(func):
    return type(func).__name__.lower() if isinstance(func, Function) else func.__name__


def _squared(func):
    return lambda x: func(x) * func(x)


def _options(dtype, overrides):
    """Chainer's tolerances: float16's epsilon for float16, 1e-4 otherwise."""
    if dtype == numpy.float16:
        eps = float(numpy.finfo(numpy.float16).eps)
        forward = {'atol': eps, 'rtol': eps}
        backward = {'eps': 2 ** -4, 'atol': 2 ** -4, 'rtol': 2 ** -4, 'dtype': numpy.float64}
    else:
        forward = {'atol': 1e-4, 'rtol': 1e-4}
        backward = {'dtype': numpy.float64, 'atol': 1e-4, 'rtol': 1e-4}
    defaults = forward, backward, dict(backward)
    return [dict(d, **(o or {})) for d, o in zip(defaults, overrides)]


def unary_math_function_unittest(func, func_expected=None, label_expected=None, make_data=None,
                                 is_linear=None, forward_options=None, backward_options=None,
                                 double_backward_options=None):
    """Class decorator adding forward, backward and double-backward tests
    (CPU and GPU) of an elementwise one-input function, for ``shape`` in
    ``(3, 2), ()`` and ``dtype`` in float16/32/64.

    Args:
        func: the function (or an old-style ``Function`` instance: then no
            double-backward test).
        func_expected: the NumPy reference, called as ``f(x, dtype=x.dtype)``
            (default: the NumPy function of the same name).
        label_expected (str): the expected ``label`` of the function's class
            ``F.<Name>`` (tested only when ``F`` has that class).
        make_data: ``make_data(shape, dtype)`` returning ``(x, gy, ggx)``
            (``(x, gy)`` for an old-style function); default uniform in
            [-1, 1).
        is_linear (bool): square the output before the double-backward check.
        forward_options, backward_options, double_backward_options (dict):
            update the tolerances (for :func:`assert_allclose`,
            :func:`~chainvision.gradient_check.check_backward` and
            :func:`~chainvision.gradient_check.check_double_backward`).

    Raises:
        ValueError: when NumPy has no function of ``func``'s name and no
            ``func_expected`` is given.
    """
    new_style = not isinstance(func, Function)
    name = _name(func)
    func_class = getattr(functions, name.capitalize(), None) if new_style else type(func)
    if func_expected is None:
        if not hasattr(numpy, name):
            raise ValueError("NumPy has no functions corresponding to Chainer function "
                             "'{}'.".format(name))
        func_expected = getattr(numpy, name)
    label_expected = label_expected or name
    make_data = make_data or (_default_data if new_style
                              else lambda shape, dtype: _default_data(shape, dtype)[:2])
    double_func = _squared(func) if is_linear else func

    def decorate(cls):
        def setUp(self):
            data = make_data(self.shape, self.dtype)
            self.x, self.gy = data[:2]
            self.ggx = data[2] if new_style else None
            self.forward_options, self.backward_options, self.double_backward_options = \
                _options(self.dtype, (forward_options, backward_options,
                                      double_backward_options))

        def check_forward(self, x_data):
            y = func(Variable(x_data))
            y_array = numpy.asarray(to_cpu(y))
            self.assertEqual(y_array.dtype, numpy.dtype(self.dtype))
            expected = func_expected(numpy.asarray(to_cpu(x_data)), dtype=self.dtype)
            assert_allclose(expected, y_array, **self.forward_options)

        def check_backward(self, x_data, y_grad):
            gradient_check.check_backward(func, x_data, y_grad, **self.backward_options)

        def check_double_backward(self, x_data, y_grad, x_grad_grad):
            gradient_check.check_double_backward(double_func, x_data, y_grad, x_grad_grad,
                                                 **self.double_backward_options)

        def test_forward_cpu(self):
            self.check_forward(self.x)

        @attr.gpu
        def test_forward_gpu(self):
            self.check_forward(to_device(self.x, 'cuda'))

        def test_backward_cpu(self):
            self.check_backward(self.x, self.gy)

        @attr.gpu
        def test_backward_gpu(self):
            self.check_backward(*to_device((self.x, self.gy), 'cuda'))

        def test_double_backward_cpu(self):
            self.check_double_backward(self.x, self.gy, self.ggx)

        @attr.gpu
        def test_double_backward_gpu(self):
            self.check_double_backward(*to_device((self.x, self.gy, self.ggx), 'cuda'))

        def test_label(self):
            self.assertEqual(func_class().label, label_expected)

        members = [setUp, check_forward, check_backward, test_forward_cpu, test_forward_gpu,
                   test_backward_cpu, test_backward_gpu]
        if new_style:  # old-style Functions are not differentiable twice
            members += [check_double_backward, test_double_backward_cpu,
                        test_double_backward_gpu]
        if func_class is not None:
            members.append(test_label)
        for member in members:
            setattr(cls, member.__name__, member)
        return parameterize(*product({
            'shape': [(3, 2), ()],
            'dtype': [numpy.float16, numpy.float32, numpy.float64],
        }))(cls)
    return decorate
