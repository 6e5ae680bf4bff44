"""Dataset tests read the real files from the shared (read-only) dataset
root and cache decoded arrays in one temporary folder per test session."""

import os

import pytest


@pytest.fixture(scope='session', autouse=True)
def _session_cache_dir(tmp_path_factory):
    previous = os.environ.get('CHAINVISION_CACHE_DIR')
    os.environ['CHAINVISION_CACHE_DIR'] = str(tmp_path_factory.mktemp('chainvision-cache'))
    yield
    if previous is None:
        del os.environ['CHAINVISION_CACHE_DIR']
    else:
        os.environ['CHAINVISION_CACHE_DIR'] = previous


@pytest.fixture
def offline(monkeypatch):
    """No network: the reachability check answers False without trying."""
    monkeypatch.setenv('CHAINVISION_OFFLINE', '1')
