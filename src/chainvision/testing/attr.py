"""Test attributes (Chainer's ``chainer.testing.attr``): pytest marks, plus a
skip where the resource a test needs cannot exist here.

==============  ===========================================================
``gpu``         mark ``gpu``; skipped without a CUDA device (``torch.cuda``)
``multi_gpu(n)``  mark ``gpu``; skipped with fewer than ``n`` CUDA devices, or
                when ``CHAINER_TEST_GPU_LIMIT`` (if >= 0) is below ``n``
``cudnn``       mark ``cudnn``; always skipped: such tests patch CuPy's cuDNN
                calls, and chainvision never uses CuPy
``ideep``       mark ``ideep``; always skipped: iDeep is not used
``chainerx``    mark ``chainerx``; always skipped: ChainerX is not available
                (Chainer's own ``conftest.py`` skips these the same way)
``slow``        mark ``slow`` only
==============  ===========================================================

pytest is imported when a mark is applied, not when this module is.
"""

import os
import unittest

import torch


def _mark(name, target, skip_reason=None):
    import pytest
    if skip_reason is not None:
        target = unittest.skip(skip_reason)(target)
    return getattr(pytest.mark, name)(target)


def multi_gpu(gpu_num):
    """Decorator for a test (method or class) that needs ``gpu_num`` CUDA devices."""
    limit = int(os.getenv('CHAINER_TEST_GPU_LIMIT', '-1'))
    available = torch.cuda.device_count() if torch.cuda.is_available() else 0
    if 0 <= limit < gpu_num:
        reason = '{} GPUs required; CHAINER_TEST_GPU_LIMIT={}'.format(gpu_num, limit)
    elif available < gpu_num:
        reason = '{} CUDA devices required, {} available'.format(gpu_num, available)
    else:
        reason = None
    return lambda target: _mark('gpu', target, reason)


def gpu(target):
    """Decorator for a test that needs one CUDA device."""
    return multi_gpu(1)(target)


def cudnn(target):
    """Decorator for a test of cuDNN calls made through CuPy (always skipped)."""
    return _mark('cudnn', target, 'cuDNN through CuPy: chainvision never uses CuPy')


def ideep(target):
    """Decorator for a test of the iDeep backend (always skipped)."""
    return _mark('ideep', target, 'iDeep is not used by chainvision')


def chainerx(target):
    """Decorator for a test of ChainerX arrays (always skipped)."""
    return _mark('chainerx', target, 'ChainerX is not available')


def slow(target):
    """Decorator marking a slow test (``pytest -m 'not slow'`` leaves it out)."""
    return _mark('slow', target)
