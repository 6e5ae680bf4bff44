"""chainvision.native: building, caching and loading the C kernels, and
the fallback where they cannot run."""

import os
import shutil
import subprocess
import sys
import warnings

import pytest

from chainvision import native

AVAILABLE = native.library('batch_norm') is not None
needs_native = pytest.mark.skipif(
    not AVAILABLE, reason='native kernels unavailable here: {}'.format(
        native.unavailable_reason('batch_norm')))


def _fresh(monkeypatch, tmp_path, **environ):
    """Forget what this process loaded; build into an empty cache folder."""
    monkeypatch.setenv('CHAINVISION_CACHE_DIR', str(tmp_path))
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    native._load.cache_clear()


@pytest.fixture(autouse=True)
def _restore_loaded_libraries():
    yield
    native._load.cache_clear()


@needs_native
def test_the_library_is_built_once_into_the_cache_and_reused(monkeypatch, tmp_path):
    _fresh(monkeypatch, tmp_path)
    assert native.library('batch_norm') is not None
    assert native.unavailable_reason('batch_norm') is None
    built = os.listdir(tmp_path / 'native')
    assert len(built) == 1 and built[0].startswith('batch_norm-') and built[0].endswith('.so')
    mtime = os.stat(tmp_path / 'native' / built[0]).st_mtime_ns
    native._load.cache_clear()
    assert native.library('batch_norm') is not None
    assert os.listdir(tmp_path / 'native') == built          # no second build
    assert os.stat(tmp_path / 'native' / built[0]).st_mtime_ns == mtime


@needs_native
@pytest.mark.parametrize('name', sorted(native.KERNELS))
def test_every_kernel_builds_and_loads(name):
    assert native.library(name) is not None and native.unavailable_reason(name) is None


@needs_native
def test_a_changed_shared_header_builds_a_new_library(monkeypatch, tmp_path):
    """The headers the sources include are part of the cache key: an edited
    simd.h is never served by a library built from the old one."""
    sources = tmp_path / 'sources'
    shutil.copytree(native._HERE, sources, ignore=shutil.ignore_patterns('*.py', '__pycache__'))
    monkeypatch.setattr(native, '_HERE', str(sources))
    _fresh(monkeypatch, tmp_path / 'cache')
    assert native.library('max_pooling') is not None
    with open(sources / 'simd.h', 'a') as f:
        f.write('\n/* edited */\n')
    native._load.cache_clear()
    assert native.library('max_pooling') is not None
    assert len(os.listdir(tmp_path / 'cache' / 'native')) == 2


@needs_native
def test_the_kernels_run_on_pytorchs_openmp_runtime():
    """One OpenMP runtime in the process (a second would start its own
    threads beside PyTorch's)."""
    with open('/proc/self/maps') as f:
        runtimes = {line.split()[-1] for line in f
                    if os.path.basename(line.split()[-1]).startswith(native._OPENMP_RUNTIMES)}
    assert len(runtimes) == 1


def test_switched_off_by_the_environment(monkeypatch, tmp_path):
    _fresh(monkeypatch, tmp_path, CHAINVISION_NATIVE='0')
    assert native.library('batch_norm') is None
    assert native.unavailable_reason('batch_norm') == 'switched off by CHAINVISION_NATIVE=0'
    assert not (tmp_path / 'native').exists()


@needs_native
def test_a_missing_compiler_is_named(monkeypatch, tmp_path):
    _fresh(monkeypatch, tmp_path, CC='no-such-cc')
    assert native.library('batch_norm') is None
    assert native.unavailable_reason('batch_norm') == (
        "no C compiler ('no-such-cc') on the PATH; install gcc or clang, or set $CC")


@needs_native
def test_a_failing_build_warns_once_and_falls_back(monkeypatch, tmp_path):
    compiler = tmp_path / 'broken-cc'
    compiler.write_text('#!/bin/sh\necho "cc 1.0"\n[ "$1" = --version ] && exit 0\n'
                        'echo "error: no space left" >&2\nexit 1\n')
    compiler.chmod(0o755)
    _fresh(monkeypatch, tmp_path, CC=str(compiler))
    with pytest.warns(RuntimeWarning, match=r"building batch_norm\.c failed: broken-cc exited "
                                            r"with 1: error: no space left; PyTorch's operations "
                                            r"are used instead"):
        assert native.library('batch_norm') is None
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        assert native.library('batch_norm') is None            # no second warning
    assert not [name for name in os.listdir(tmp_path / 'native') if name.endswith('.so')]


@needs_native
def test_the_batch_norm_of_a_fresh_process_matches_pytorchs(tmp_path):
    """The kernel as a new process meets it: built into an empty cache by
    the first forward pass, then reused by a second process."""
    code = ('import torch, chainvision.functions as F\n'
            'torch.manual_seed(0)\n'
            'x = torch.randn(4, 32, 5, 5).contiguous(memory_format=torch.channels_last)\n'
            'y = F.batch_normalization(x, torch.ones(32), torch.zeros(32))\n'
            'ref = torch.nn.functional.batch_norm(x.contiguous(), None, None, training=True,'
            ' eps=2e-5)\n'
            'print(float((y - ref).abs().max()))\n')
    environ = dict(os.environ, CHAINVISION_CACHE_DIR=str(tmp_path))
    for _ in range(2):
        out = subprocess.run([sys.executable, '-c', code], env=environ, capture_output=True,
                             text=True, check=True)
        assert float(out.stdout) < 1e-4    # float32 rounding of values up to about 4
    assert len(os.listdir(tmp_path / 'native')) == 1

