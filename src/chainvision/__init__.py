"""chainvision: Chainer's way of writing ConvNets, on PyTorch.

``import chainvision as chainer`` gives Chainer v7's public names: ``Link``,
``Chain``, ``ChainList``, ``Sequential``, ``Parameter``, ``Variable``,
``config``, ``using_config``, ``no_backprop_mode``, ``report``... and the
submodules ``functions``, ``links``, ``initializers``, ``optimizers``,
``training``, ``serializers``, ``datasets``, ``iterators``, ``backend``,
``backends``, ``gradient_check``, ``utils``; plus chainvision's own
``models``.  Submodules are imported on first use, so ``import chainvision``
stays fast.
"""

import importlib

from chainvision import _numpy_operands, _tensor_array
from chainvision.configuration import (  # noqa: F401
    DebugMode, config, force_backprop_mode, get_compute_mode, get_dtype, global_config,
    is_debug, is_train, mixed16, no_backprop_mode, set_debug, using_config)
from chainvision.link import Chain, ChainList, Link, Parameter  # noqa: F401
from chainvision.runtime import print_runtime_info  # noqa: F401
from chainvision.sequential import Sequential  # noqa: F401

__version__ = '0.1.0'

# Set to True to silence the FutureWarning of experimental APIs (utils.experimental).
disable_experimental_feature_warning = False

_tensor_array.install()
_numpy_operands.install()

_SUBMODULES = {
    'backend', 'backends', 'cli', 'dataset', 'datasets', 'functions',
    'gradient_check', 'initializers', 'iterators', 'links', 'models',
    'optimizer_hooks', 'optimizers', 'reporter', 'serializers',
    'training', 'utils', 'testing', 'cuda', 'chainerx', 'distribution', 'distributions',
    'graph_optimizations', 'memory_layouts', 'optimizer',
}

# Public names that live in submodules imported on first use.
_LAZY_NAMES = {
    'Variable': 'chainvision.variable',
    'as_variable': 'chainvision.variable',
    'as_array': 'chainvision.variable',
    'FunctionNode': 'chainvision.function_node',
    'Function': 'chainvision.function',
    'grad': 'chainvision.function_node',
    'Reporter': 'chainvision.reporter',
    'report': 'chainvision.reporter',
    'report_scope': 'chainvision.reporter',
    'get_current_reporter': 'chainvision.reporter',
    'Summary': 'chainvision.reporter',
    'DictSummary': 'chainvision.reporter',
    'Optimizer': 'chainvision.optimizer',
    'GradientMethod': 'chainvision.optimizer',
    'UpdateRule': 'chainvision.optimizer',
    'Initializer': 'chainvision.initializers',
    'Serializer': 'chainvision.serializer',
    'Deserializer': 'chainvision.serializer',
    'get_device': 'chainvision.backend',
    'using_device': 'chainvision.backend',
    'get_array_types': 'chainvision.backend',
    'get_cpu_array_types': 'chainvision.backend',
    'is_arrays_compatible': 'chainvision.backend',
    'backward': 'chainvision.function_node',
    'AbstractSerializer': 'chainvision.serializer',
    'Distribution': 'chainvision.distribution',
    'cross_entropy': 'chainvision.distribution',
    'kl_divergence': 'chainvision.distribution',
    'register_kl': 'chainvision.distribution',
    'static_code': 'chainvision.graph_optimizations',
    'static_graph': 'chainvision.graph_optimizations',
    'fit': 'chainvision.app.fit',
    'export': 'chainvision.app.export',
    'InferenceModel': 'chainvision.app.inference',
    'load': 'chainvision.app.inference',
}


def __getattr__(name):
    if name == 'cuda':
        module = importlib.import_module('chainvision.backends.cuda')
    elif name in _SUBMODULES:
        module = importlib.import_module('chainvision.' + name)
    elif name in _LAZY_NAMES:
        module = getattr(importlib.import_module(_LAZY_NAMES[name]), name)
    else:
        raise AttributeError('module chainvision has no attribute {!r}'.format(name))
    globals()[name] = module
    return module


def __dir__():
    return sorted(set(globals()) | _SUBMODULES | set(_LAZY_NAMES))
