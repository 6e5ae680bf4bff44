"""Chainer's testing API (``chainer.testing``), for tests of Chainer-style code
on chainvision.

- parameterized test classes: :func:`parameterize`, :func:`product`,
  :func:`product_dict`, :func:`parameterize_pytest`;
- backends: :func:`inject_backend_tests` and :class:`BackendConfig` (CPU;
  CUDA through PyTorch; iDeep and ChainerX configurations are skipped);
- ready-made tests: :class:`FunctionTestCase`, :class:`LinkTestCase`,
  :class:`LinkInitializersTestCase`, :func:`unary_math_function_unittest`;
- :mod:`attr` marks (``gpu``, ``multi_gpu``, ``slow``...), :mod:`condition`
  (``retry``, ``repeat``), :func:`fix_random`, :func:`with_requires`,
  :func:`assert_allclose`, :func:`assert_warns`, :func:`patch`,
  :func:`save_and_load_npz`, :func:`get_trainer_with_mock_updater`,
  :func:`generate_matrix`.

Chainer's own unit tests run on chainvision with their imports rewritten
(``tools/run_chainer_tests.py``).  pytest is imported only when a mark is
applied or :func:`run_module` runs, so it stays a test-only dependency.
"""

from chainvision.testing import attr, condition  # noqa: F401
from chainvision.testing.array import assert_allclose  # noqa: F401
from chainvision.testing.backend import BackendConfig, inject_backend_tests  # noqa: F401
from chainvision.testing.function_link import (  # noqa: F401
    FunctionTestCase, FunctionTestError, InitializerArgument, LinkInitializersTestCase,
    LinkTestCase, LinkTestError)
from chainvision.testing.helper import (  # noqa: F401
    assert_warns, patch, with_requires, without_requires)
from chainvision.testing.matrix import generate_matrix  # noqa: F401
from chainvision.testing.parameterized import (  # noqa: F401
    from_pytest_parameterize, parameterize, parameterize_pytest, product, product_dict)
from chainvision.testing.random import fix_random, generate_seed  # noqa: F401
from chainvision.testing.serializer import (  # noqa: F401
    save_and_load, save_and_load_hdf5, save_and_load_npz)
from chainvision.testing.training import get_trainer_with_mock_updater  # noqa: F401
from chainvision.testing.unary_math_function_test import unary_math_function_unittest  # noqa: F401


def run_module(name, file):
    """Run the tests of the calling file with pytest when it is run as a script
    (``testing.run_module(__name__, __file__)`` at the end of a test file)."""
    if name == '__main__':
        import pytest
        pytest.main([file, '-vvs', '-x', '--pdb'])
