"""Backend configurations of test cases: :class:`BackendConfig` and
:func:`inject_backend_tests` (Chainer's ``chainer.testing.backend``).

A configuration names a device and the config values to test under:
``{}`` is the CPU, ``{'use_cuda': True, 'cuda_device': 1}`` is ``cuda:1``
(here a PyTorch CUDA device, not CuPy), ``{'use_ideep': 'always'}`` and
``{'use_chainerx': True, ...}`` are Chainer's iDeep and ChainerX backends.
Tests injected with a CUDA configuration run only on a machine with that many
CUDA devices; iDeep and ChainerX ones are always skipped (see
:mod:`chainvision.testing.attr`).
"""

import functools

from chainvision import backend
from chainvision.configuration import using_config
from chainvision.testing import _bundle, attr

# Chainer's options, in Chainer's order (the order of the generated class names).
_OPTIONS = (
    ('use_chainerx', False),
    ('chainerx_device', None),
    ('use_cuda', False),
    ('cuda_device', None),  # 0 when use_cuda
    ('use_cudnn', 'never'),
    ('cudnn_deterministic', False),
    ('autotune', False),
    ('cudnn_fast_batch_normalization', False),
    ('use_ideep', 'never'),
)

# Options that are Chainer config values, set while the configuration is entered.
_CONFIG_KEYS = ('use_cudnn', 'cudnn_deterministic', 'autotune', 'use_ideep')


class BackendConfig:
    """One backend configuration of a test.

    Args:
        params (dict): values of Chainer's options (``use_cuda``,
            ``cuda_device``, ``use_cudnn``, ``cudnn_deterministic``,
            ``autotune``, ``cudnn_fast_batch_normalization``, ``use_ideep``,
            ``use_chainerx``, ``chainerx_device``); the others keep their
            defaults.

    Raises:
        ValueError: for an option Chainer does not define.

    Entering it (``with backend_config:``) sets the config values and makes
    its device current.
    """

    def __init__(self, params):
        if not isinstance(params, dict):
            raise TypeError('params must be a dict.')
        for key, default in _OPTIONS:
            setattr(self, key, default)
        for key, value in params.items():
            if key not in dict(_OPTIONS):
                raise ValueError('Parameter {} is not defined'.format(key))
            setattr(self, key, value)
        if self.use_chainerx and not isinstance(self.chainerx_device, str):
            raise ValueError("'chainerx_device' must be a ChainerX device specifier string")
        if self.use_cuda and self.cuda_device is None:
            self.cuda_device = 0
        self._contexts = []

    @property
    def device(self):
        """The :class:`~chainvision.backend.Device`: ``cuda:N`` with
        ``use_cuda``, the CPU otherwise (iDeep included).

        Raises:
            RuntimeError: with ``use_chainerx`` (ChainerX is not available).
        """
        if self.use_chainerx:
            return backend.ChainerxDevice(self.chainerx_device)
        return backend.get_device(self.cuda_device if self.use_cuda else -1)

    @property
    def xp(self):
        """``numpy`` (arrays are NumPy on the CPU and tensors on a GPU)."""
        return self.device.xp

    def get_array(self, np_array):
        """Put a NumPy array, or a tuple/list of them, on the device: on the CPU
        they stay NumPy arrays (as Chainer's CPU device keeps them), on a GPU
        they become CUDA tensors."""
        if self.device.torch_device.type == 'cpu':
            return np_array
        return self.device.send(np_array)

    def __enter__(self):
        contexts = [using_config(key, getattr(self, key)) for key in _CONFIG_KEYS]
        contexts.append(backend.using_device(self.device))
        for context in contexts:
            context.__enter__()
        self._contexts.append(contexts)
        return self

    def __exit__(self, *exc_info):
        for context in reversed(self._contexts.pop()):
            context.__exit__(*exc_info)

    def __repr__(self):
        return '<BackendConfig {}>'.format(
            ' '.join('{}={!r}'.format(key, getattr(self, key)) for key, _ in _OPTIONS))

    def get_func_str(self):
        """The options as a string usable in a class name
        (``use_chainerx_false__chainerx_device_None__...``)."""
        def text(value):
            if isinstance(value, bool):
                return 'true' if value else 'false'
            return str(value)
        return '__'.join('{}_{}'.format(key, text(getattr(self, key))) for key, _ in _OPTIONS)

    def get_pytest_marks(self):
        """Decorators (from :mod:`~chainvision.testing.attr`) that mark, and
        skip where needed, the tests run under this configuration."""
        if self.use_chainerx:
            return [attr.chainerx]
        if self.use_cuda:
            marks = [attr.multi_gpu(self.cuda_device + 1)]
            return marks + ([attr.cudnn] if self.use_cudnn != 'never' else [])
        return [attr.ideep] if self.use_ideep != 'never' else []


def _with_backend_config(method, config, marks):
    @functools.wraps(method)
    def test(self, *args, **kwargs):
        return method(self, config, *args, **kwargs)
    for mark in marks:
        test = mark(test)
    return test


def _backend_variants(base, method_names, params):
    if method_names is not None:
        # The class keeps the tests that take no configuration.
        yield base.__name__, {}, lambda m: None if m.__name__ in method_names else m
    for param in params:
        config = BackendConfig(param)
        marks = config.get_pytest_marks()

        def wrap(method, config=config, marks=marks):
            if method_names is not None and method.__name__ not in method_names:
                return None
            return _with_backend_config(method, config, marks)

        yield '{}_{}'.format(base.__name__, config.get_func_str()), {}, wrap


def inject_backend_tests(method_names, params):
    """Class decorator: run test methods once per backend configuration.

    Args:
        method_names (list of str or None): the test methods that take a
            :class:`BackendConfig` as their first argument (``None``: all).
        params (list of dict): one dict of :class:`BackendConfig` options
            per configuration.

    Each configuration gives a class named after its options; its listed test
    methods receive the configuration.

    >>> import unittest, numpy
    >>> from chainvision import functions as F, testing
    >>> @testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
    ... class TestRelu(unittest.TestCase):
    ...     def test_forward(self, backend_config):
    ...         x = backend_config.get_array(numpy.ones(3, numpy.float32))
    ...         with backend_config:
    ...             y = F.relu(x)
    >>> len(TestRelu.classes)  # one class per configuration
    2
    """
    if not (method_names is None or isinstance(method_names, list)):
        raise TypeError('method_names must be either None or a list.')
    if not isinstance(params, list) or not all(isinstance(p, dict) for p in params):
        raise TypeError('params must be a list of dicts.')
    return _bundle.make_decorator(lambda base: _backend_variants(base, method_names, params))
