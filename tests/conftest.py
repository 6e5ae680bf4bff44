"""Shared test set-up: the dataset root, seeds and device markers."""

import os
import pathlib
import shutil
import tempfile

import numpy
import pytest
import torch

REPO_ROOT = pathlib.Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / 'shared' / 'data'


def read_only_view(source, view):
    """Mirror the folder tree ``source`` into ``view``: each file a symbolic
    link to the original, each folder marked read-only.  chainvision never
    writes into a folder so marked (not even as root, who could), so caches
    and downloads go to the cache folder, and the originals stay untouched
    whether or not ``source`` itself is writable."""
    for folder, _, files in os.walk(source, followlinks=True):
        target = os.path.join(view, os.path.relpath(folder, source))
        os.makedirs(target, exist_ok=True)
        for name in files:
            os.symlink(os.path.join(folder, name), os.path.join(target, name))
    for folder, _, _ in os.walk(view, topdown=False):
        os.chmod(folder, 0o555)


# Tests read the real datasets ($CHAINVISION_DATASET_ROOT, else the shared
# copy beside the checkout) through a read-only view of their own.
DATASET_SOURCE = os.environ.get('CHAINVISION_DATASET_ROOT') or str(SHARED_DATA)
_DATASET_VIEW = tempfile.mkdtemp(prefix='chainvision-test-datasets-')
read_only_view(DATASET_SOURCE, _DATASET_VIEW)
os.environ['CHAINVISION_DATASET_ROOT'] = _DATASET_VIEW


@pytest.fixture
def make_read_only_view():
    """:func:`read_only_view`, for tests that build a dataset root of their own."""
    return read_only_view


def pytest_unconfigure(config):
    for folder, _, _ in os.walk(_DATASET_VIEW):
        os.chmod(folder, 0o755)
    shutil.rmtree(_DATASET_VIEW, ignore_errors=True)


@pytest.fixture(scope='module')
def one_cpu_thread():
    """PyTorch on one CPU thread for a module's tests, restored after: small
    convolutions run faster so, above all when other processes share the
    cores.  Use with ``pytestmark = pytest.mark.usefixtures('one_cpu_thread')``."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(autouse=True)
def _seed_everything():
    torch.manual_seed(0)
    numpy.random.seed(0)


def pytest_collection_modifyitems(config, items):
    skip_gpu = pytest.mark.skip(reason='needs a CUDA device')
    for item in items:
        if 'gpu' in item.keywords and not torch.cuda.is_available():
            item.add_marker(skip_gpu)
