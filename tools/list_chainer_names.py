"""Write the list of Chainer's public names that chainvision is measured against.

Run it with a Python that has the real Chainer installed (7.8.1)::

    /path/to/chainer-venv/bin/python tools/list_chainer_names.py > docs/chainer-7.8.1-public-names.txt

A public name is an attribute of one of the namespaces in ``NAMESPACES`` whose
name does not start with ``_`` and that Chainer itself defines: classes and
functions whose ``__module__`` is Chainer's (so ``chainer.numpy`` or
``chainer.functions.six`` do not count), and constants.  Submodules count as
names of the top-level ``chainer`` package only (``chainer.memory_layouts``),
since the others are listed through their own namespace.  Each line is
``qualified name<TAB>kind`` with kind ``class``, ``function``, ``module`` or
``constant``, sorted.
"""

import __future__
import importlib
import inspect
import types

NAMESPACES = (
    'chainer', 'chainer.backend', 'chainer.backends.cuda', 'chainer.dataset',
    'chainer.datasets', 'chainer.distributions', 'chainer.functions',
    'chainer.graph_optimizations', 'chainer.initializers', 'chainer.iterators',
    'chainer.links', 'chainer.optimizer', 'chainer.optimizer_hooks', 'chainer.optimizers',
    'chainer.serializers', 'chainer.testing', 'chainer.training',
    'chainer.training.extensions', 'chainer.training.triggers', 'chainer.training.updaters',
    'chainer.utils',
)

# Objects a namespace imports for its own use rather than exports.
_IMPORTED_HELPERS = (types.ModuleType, __future__._Feature)


def _kind(value):
    if inspect.ismodule(value):
        return 'module'
    if inspect.isclass(value):
        return 'class'
    if callable(value):
        return 'function'
    return 'constant'


def _defined_by_chainer(value):
    module = getattr(value, '__module__', None) or ''
    return module.split('.')[0] in ('chainer', 'chainerx')


def public_names(namespace):
    """Yield ``(qualified name, kind)`` for the public names of ``namespace``."""
    module = importlib.import_module(namespace)
    for name in sorted(dir(module)):
        if name.startswith('_'):
            continue
        value = getattr(module, name)
        kind = _kind(value)
        if kind == 'module':
            if namespace == 'chainer' and value.__name__.startswith('chainer.'):
                yield namespace + '.' + name, kind
            continue
        if kind in ('class', 'function') and not _defined_by_chainer(value):
            continue
        if kind == 'constant' and isinstance(value, _IMPORTED_HELPERS):
            continue
        yield namespace + '.' + name, kind


def main():
    import chainer
    print('# Chainer {} public names: tools/list_chainer_names.py'.format(chainer.__version__))
    for namespace in NAMESPACES:
        for name, kind in public_names(namespace):
            print('{}\t{}'.format(name, kind))


if __name__ == '__main__':
    main()
