"""The packages of chainvision depend one way (STYLE.md, "Packages depend
one way"): every import of every module under ``src/chainvision`` is read
with ``ast`` and checked against the table of allowed edges below.

What counts as an import: ``import`` and ``from ... import`` statements
anywhere in a module (inside functions too; relative ones resolved), and a
module named by a string, which is how a module ``__getattr__`` imports on
first use: a string constant that is a dotted path under ``chainvision.``
(``'chainvision.models.extractors'``, or the prefix
``'chainvision.cli.' + name``), and in a package ``__init__`` the strings
that name one of its submodules (``chainvision/__init__``'s
``_SUBMODULES``).  A string import is *lazy*: a few edges that point up are
allowed lazily only (``LAZY_ONLY``), never at import time.

Two more rules: no package imports another package's private module or
name (``_pretrained``, ``_lrn``), and no two packages import each other.
"""

import ast
import collections
import pathlib
import re
import textwrap

import pytest

import chainvision

SRC = pathlib.Path(chainvision.__file__).parent

# Module prefix -> layer; the longest prefix wins.  The top-level modules
# (link.py, variable.py, configuration.py, backend.py, reporter.py...) are
# the core; every package must be listed (a new one fails the test until it
# is placed here).
LAYER_OF = {
    'chainvision': 'core',
    'chainvision.backends': 'core',
    'chainvision.graph_optimizations': 'core',
    'chainvision.initializers': 'core',
    'chainvision.native': 'core',
    'chainvision.serializers': 'core',
    'chainvision.utils': 'core',
    'chainvision.functions': 'functions',
    'chainvision.distribution': 'functions',
    'chainvision.distributions': 'functions',
    'chainvision.links': 'links',
    'chainvision.models': 'models',
    'chainvision.dataset': 'dataset',
    'chainvision.datasets': 'data',
    'chainvision.iterators': 'data',
    'chainvision.optimizer': 'optimizers',
    'chainvision.optimizers': 'optimizers',
    'chainvision.optimizer_hooks': 'optimizers',
    'chainvision.training': 'training',
    'chainvision.testing': 'testing',
    'chainvision.app': 'app',
    'chainvision.cli': 'cli',
}

# Layer -> the other layers its modules may import, from the bottom up.
ALLOWED = {
    # Link, Variable, config, backend, reporter, initializers, serializers, utils
    'core': set(),
    # F, distributions
    'functions': {'core'},
    # L
    'links': {'core', 'functions'},
    # the zoo, its pre-trained extractors and weight files
    'models': {'core', 'functions', 'links'},
    # Chainer's chainer.dataset: concat_examples, Iterator, DatasetMixin
    'dataset': {'core'},
    # datasets/ (files -> arrays), datasets/loader (-> batches), iterators/
    'data': {'core', 'dataset'},
    # Optimizer, optimizers/, optimizer_hooks/
    'optimizers': {'core'},
    # Chainer's Trainer, updaters, extensions, triggers
    'training': {'core', 'dataset', 'optimizers'},
    # Chainer's chainer.testing: helpers for the tests of every Chainer layer
    'testing': {'core', 'functions', 'links', 'dataset', 'data', 'optimizers', 'training'},
    # what fit() and `chainvision train` do: options, data, model, run folder
    'app': {'core', 'functions', 'links', 'models', 'dataset', 'data', 'optimizers',
            'training'},
    # the `chainvision` command
    'cli': {'core', 'functions', 'links', 'models', 'dataset', 'data', 'optimizers',
            'training', 'app'},
}

# Modules allowed to name higher layers lazily (a name imported by string on
# first use, never at import time): chainvision/__init__ offers every
# submodule and ``chainvision.fit``; ``L.VGG16Layers`` and Chainer's paths
# ``chainvision.links.model.vision.*`` reach the zoo's extractors.
LAZY_ONLY = {
    'chainvision': set(ALLOWED) - {'core'},
    'chainvision.links': {'models'},
    'chainvision.links.model.vision': {'models'},
    'chainvision.links.model.vision.googlenet': {'models'},
    'chainvision.links.model.vision.resnet': {'models'},
    'chainvision.links.model.vision.vgg': {'models'},
}

# Edges that break the rules today and are being fixed by a change in
# progress: (importing module, imported module).  Keep it empty.
KNOWN_PENDING = set()

Import = collections.namedtuple('Import', 'importer target lazy names line written')


def find_modules(root):
    """``{dotted module name: path}`` of every ``.py`` file under ``root``
    (the package folder, e.g. ``src/chainvision``); a package is named by
    its ``__init__.py``."""
    modules = {}
    for path in sorted(root.rglob('*.py')):
        parts = path.relative_to(root.parent).with_suffix('').parts
        if parts[-1] == '__init__':
            parts = parts[:-1]
        modules['.'.join(parts)] = path
    return modules


def _existing(name, modules):
    """The longest prefix of the dotted ``name`` that is a module."""
    while name and name not in modules:
        name = name.rpartition('.')[0]
    return name


def _absolute(node, package):
    """The absolute module of a ``from ... import`` statement."""
    if not node.level:
        return node.module
    base = package.split('.')[:len(package.split('.')) - node.level + 1]
    return '.'.join(base + ([node.module] if node.module else []))


def _submodule_strings(tree, package, modules):
    """Strings in module-level set/list/tuple/dict literals of a package
    ``__init__`` that name one of its submodules (a lazy submodule table)."""
    for statement in tree.body:
        if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
            for node in ast.walk(statement.value):
                if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                        and '{}.{}'.format(package, node.value) in modules):
                    yield node, '{}.{}'.format(package, node.value)


def read_imports(name, path, modules):
    """Every import of module ``name`` (file ``path``) of a module of its own
    top-level package: a list of :class:`Import` ``(importer, target,
    lazy, names, line, written)``, where ``target`` is the module imported
    (the longest existing prefix of what is ``written``), ``lazy`` says it is
    named by a string and ``names`` holds the name taken from it by
    ``from target import name`` when that name is not a submodule."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = name if path.name == '__init__.py' else name.rpartition('.')[0]
    root = name.split('.')[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, False, (), node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node, package)
            for alias in node.names:
                submodule = '{}.{}'.format(module, alias.name)
                found.append((submodule, False, (), node.lineno) if submodule in modules
                             else (module, False, (alias.name,), node.lineno))
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and re.fullmatch(r'{0}(\.\w+)+\.?|{0}\.'.format(root), node.value)):
            found.append((node.value.rstrip('.'), True, (), node.lineno))
    if path.name == '__init__.py':
        found += [(submodule, True, (), node.lineno)
                  for node, submodule in _submodule_strings(tree, package, modules)]
    return [Import(name, _existing(written, modules), lazy, names, line, written)
            for written, lazy, names, line in found if written.split('.')[0] == root]


def _top_package(module, modules):
    """The top-level package that holds ``module`` (``chainvision.models``
    for ``chainvision.models.extractors.vgg``), or the root package itself
    (``chainvision``) for a top-level module such as ``chainvision.link``."""
    parts = module.split('.')
    top = '.'.join(parts[:2])
    is_package = top not in modules or modules[top].name == '__init__.py'
    return top if len(parts) > 1 and is_package else parts[0]


def layer_of(module, modules):
    """The layer of ``module`` by :data:`LAYER_OF`: the longest listed prefix;
    a top-level package must be listed itself (``KeyError`` otherwise)."""
    top = _top_package(module, modules)
    parts = module.split('.')
    for end in range(len(parts), top.count('.'), -1):
        prefix = '.'.join(parts[:end])
        if prefix in LAYER_OF:
            return LAYER_OF[prefix]
    raise KeyError('package {} has no layer: add it to LAYER_OF in tests/test_layering.py'
                   .format(top))


def _private(name):
    return name.startswith('_') and not (name.startswith('__') and name.endswith('__'))


def violations(root, pending=frozenset()):
    """Every import under ``root`` that breaks a rule, as readable lines;
    ``pending`` holds ``(importer, target)`` pairs to let through."""
    modules = find_modules(root)
    problems = []
    for name, path in modules.items():
        for imp in read_imports(name, path, modules):
            if (imp.importer, imp.target) in pending:
                continue
            where = '{}:{} {} -> {}'.format(path.relative_to(root.parent), imp.line, imp.importer,
                                             imp.target)
            if imp.lazy and imp.written != imp.target:
                problems.append('{}: {!r} names no module'.format(where, imp.written))
            try:
                source, target = layer_of(imp.importer, modules), layer_of(imp.target, modules)
            except KeyError as error:
                problems.append('{}: {}'.format(where, error.args[0]))
                continue
            if source != target and target not in ALLOWED[source]:
                if not (imp.lazy and target in LAZY_ONLY.get(imp.importer, ())):
                    problems.append('{}: {} may not import {}{}'.format(
                        where, source, target, ' (not even lazily)' if imp.lazy else ''))
            private = any(map(_private, imp.target.split('.') + list(imp.names)))
            if private and (_top_package(imp.importer, modules)
                            != _top_package(imp.target, modules)):
                problems.append('{}: private name of another package'.format(where))
            elif imp.names and _private(imp.names[0]) and imp.target != imp.importer:
                problems.append('{}: private name {} of another module'.format(
                    where, imp.names[0]))
    return list(dict.fromkeys(problems))


def package_cycles(root):
    """Pairs of top-level packages (``chainvision.X``) that import each
    other, eager imports only, as ``'a <-> b'`` lines.  The top-level modules
    (the core) are left to the layer table."""
    modules = find_modules(root)
    edges = set()
    for name, path in modules.items():
        for imp in read_imports(name, path, modules):
            source, target = (_top_package(m, modules) for m in (imp.importer, imp.target))
            if not imp.lazy and source != target and root.name not in (source, target):
                edges.add((source, target))
    return sorted('{} <-> {}'.format(a, b) for a, b in edges if a < b and (b, a) in edges)


def test_the_allowed_edges_point_down():
    order = []
    remaining = dict(ALLOWED)
    while remaining:
        ready = [layer for layer, below in remaining.items() if below <= set(order)]
        assert ready, 'ALLOWED has a cycle among {}'.format(sorted(remaining))
        order += sorted(ready)
        for layer in ready:
            del remaining[layer]
    assert set(LAYER_OF.values()) == set(ALLOWED)


def test_every_listed_module_exists():
    modules = find_modules(SRC)
    assert [prefix for prefix in LAYER_OF
            if not any(name == prefix or name.startswith(prefix + '.') for name in modules)] == []


def test_every_import_follows_the_layers():
    assert violations(SRC, KNOWN_PENDING) == []


def test_no_two_packages_import_each_other():
    assert package_cycles(SRC) == []


def test_known_pending_edges_still_exist():
    # An entry whose import is gone must leave the list.
    modules = find_modules(SRC)
    present = {(imp.importer, imp.target) for name, path in modules.items()
               for imp in read_imports(name, path, modules)}
    assert KNOWN_PENDING <= present


# -- the checker itself, on a synthetic package ---------------------------------

def _write(root, files):
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


@pytest.fixture
def fake_package(tmp_path):
    """A package named ``chainvision`` with the real layout's layers and one
    module per layer; tests add bad modules to it."""
    root = tmp_path / 'chainvision'
    _write(root, {
        '__init__.py': """
            import importlib
            _SUBMODULES = {'links', 'cli'}
            def __getattr__(name):
                return importlib.import_module('chainvision.' + name)
            """,
        'link.py': 'import torch\n',
        'functions/__init__.py': 'from chainvision import link\n',
        'links/__init__.py': 'from chainvision.functions import *\n',
        'links/_helpers.py': 'def _private():\n    pass\n',
        'models/__init__.py': 'from chainvision import links\n',
        'models/_base.py': 'def dropout():\n    pass\n',
        'models/googlenet.py': 'from chainvision.models._base import dropout\n'
                               'def _lrn():\n    pass\n',
        'training/__init__.py': 'from . import trainer\n',
        'training/trainer.py': 'from ..link import Chain\n',
        'cli/__init__.py': 'from chainvision.models import googlenet\n',
    })
    return root


def test_checker_passes_a_clean_package(fake_package):
    assert violations(fake_package) == []
    assert package_cycles(fake_package) == []


@pytest.mark.parametrize('relative, text, expected', [
    ('links/vgg.py', 'from chainvision.models import googlenet\n',
     'chainvision.links.vgg -> chainvision.models.googlenet: links may not import models'),
    ('training/fit.py', 'def fit():\n    import chainvision.models.googlenet\n',
     'chainvision.training.fit -> chainvision.models.googlenet: training may not import models'),
    ('training/run.py', 'from ..cli import main\n',
     'chainvision.training.run -> chainvision.cli: training may not import cli'),
    ('runtime.py', 'def info():\n    from chainvision.cli import x\n',
     'chainvision.runtime -> chainvision.cli: core may not import cli'),
    ('models/vgg.py', "TABLE = {'x': 'chainvision.cli'}\n",
     'chainvision.models.vgg -> chainvision.cli: models may not import cli (not even lazily)'),
    ('training/hook.py', "import importlib\nimportlib.import_module('chainvision.cli.' + x)\n",
     'chainvision.training.hook -> chainvision.cli: training may not import cli (not even lazily)'),
    ('links/vgg.py', "TABLE = {'VGG16Layers': 'chainvision.links.vision.vgg'}\n",
     "'chainvision.links.vision.vgg' names no module"),
    ('functions/lrn.py', 'from chainvision.models.googlenet import _lrn\n',
     'functions may not import models'),
    ('models/vgg.py', 'from chainvision.links._helpers import x\n',
     'chainvision.models.vgg -> chainvision.links._helpers: private name of another package'),
    ('models/vgg.py', 'from chainvision.links import _helpers\n',
     'chainvision.models.vgg -> chainvision.links._helpers: private name of another package'),
    ('models/vgg.py', 'from chainvision.models.googlenet import _lrn\n',
     'chainvision.models.vgg -> chainvision.models.googlenet: private name _lrn of another module'),
    ('export/__init__.py', 'from chainvision import link\n',
     'package chainvision.export has no layer'),
])
def test_checker_reports_a_bad_import(fake_package, relative, text, expected):
    _write(fake_package, {relative: text})
    found = violations(fake_package)
    assert len(found) >= 1 and any(expected in line for line in found), found


def test_checker_allows_lazy_edges_only_where_listed(fake_package):
    _write(fake_package, {'links/__init__.py': """
        from chainvision.functions import *
        TABLE = {'GoogLeNet': 'chainvision.models.googlenet'}
        """})
    assert violations(fake_package) == []
    _write(fake_package, {
        'links/eager.py': 'from chainvision.models.googlenet import x\n',
        'links/unlisted.py': "TABLE = {'GoogLeNet': 'chainvision.models.googlenet'}\n"})
    assert violations(fake_package) == [
        'chainvision/links/eager.py:1 chainvision.links.eager -> chainvision.models.googlenet: '
        'links may not import models',
        'chainvision/links/unlisted.py:1 chainvision.links.unlisted -> '
        'chainvision.models.googlenet: links may not import models (not even lazily)']


def test_checker_reports_two_packages_importing_each_other(fake_package):
    _write(fake_package, {'functions/uses_links.py': 'import chainvision.links\n'})
    assert package_cycles(fake_package) == ['chainvision.functions <-> chainvision.links']


def test_pending_edges_are_let_through_by_name(fake_package):
    _write(fake_package, {'training/fit.py': 'from chainvision.models import googlenet\n'})
    assert violations(fake_package, {('chainvision.training.fit',
                                      'chainvision.models.googlenet')}) == []
