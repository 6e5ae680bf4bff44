"""Chainer's ``chainer.backends.cuda`` on PyTorch's CUDA support.

CuPy is never imported: ``cupy`` is ``None`` and GPU arrays are CUDA
tensors.  ``available`` tells whether PyTorch sees a CUDA device.
"""

import contextlib

import torch

from chainvision.backend import Device, GpuDevice, get_array_module, to_cpu, to_gpu  # noqa: F401

cupy = None
available = torch.cuda.is_available()
cudnn_enabled = available and torch.backends.cudnn.is_available()


class ndarray:
    """CuPy's array type as Chainer names it without CuPy: a class no array
    is an instance of, so ``isinstance(x, (numpy.ndarray, cuda.ndarray))``
    works as in Chainer installed without CuPy.  Creating one raises
    ``RuntimeError``."""

    def __init__(self, *args, **kwargs):
        raise RuntimeError('CuPy is not used by chainvision: GPU arrays are CUDA tensors.')


class DummyDeviceType:
    """The CPU stand-in for a CUDA device: a no-op context manager whose
    ``id`` is ``-1`` (Chainer's ``cuda.DummyDevice``)."""

    id = -1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def use(self):
        """Do nothing."""

    def synchronize(self):
        """Do nothing."""


DummyDevice = DummyDeviceType()


def check_cuda_available():
    """Raise ``RuntimeError`` with advice when no CUDA device is usable."""
    if not torch.cuda.is_available():
        raise RuntimeError(
            'CUDA is not available: this PyTorch build or machine has no '
            'usable GPU. Install a CUDA build of torch, or run on the CPU.')


def get_device_from_id(device_id):
    """Return a context manager for ``cuda:device_id`` (``DummyDevice`` for
    ``None`` or a negative id)."""
    if device_id is None or device_id < 0:
        return DummyDevice
    return GpuDevice(device_id)


def get_device_from_array(*arrays):
    """Return the GPU device of the first CUDA tensor, else ``DummyDevice``."""
    for array in arrays:
        if isinstance(array, torch.Tensor) and array.is_cuda:
            return GpuDevice(array.device.index)
    return DummyDevice


def fuse(*args, **kwargs):
    """Chainer's kernel-fusion decorator; here the identity (use
    ``torch.compile`` for fusion)."""
    if args and callable(args[0]) and len(args) == 1 and not kwargs:
        return args[0]
    return lambda function: function


@contextlib.contextmanager
def using_device(device_id):
    """Context that makes ``cuda:device_id`` current."""
    with get_device_from_id(device_id):
        yield
