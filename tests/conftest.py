"""Shared test set-up: the dataset root, seeds and device markers."""

import os
import pathlib

import numpy
import pytest
import torch

REPO_ROOT = pathlib.Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / 'shared' / 'data'

# Tests read the real datasets from the shared copy beside the checkout.
os.environ.setdefault('CHAINVISION_DATASET_ROOT', str(SHARED_DATA))


@pytest.fixture(autouse=True)
def _seed_everything():
    torch.manual_seed(0)
    numpy.random.seed(0)


def pytest_collection_modifyitems(config, items):
    skip_gpu = pytest.mark.skip(reason='needs a CUDA device')
    for item in items:
        if 'gpu' in item.keywords and not torch.cuda.is_available():
            item.add_marker(skip_gpu)
