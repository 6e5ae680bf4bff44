"""Chainer's ``chainer.backends.cpu`` helpers."""

from chainvision.backend import to_cpu  # noqa: F401
from chainvision.backend import Device as _Device


class CpuDevice(_Device):
    """The host device (Chainer's ``CpuDevice``)."""

    def __init__(self):
        super().__init__('cpu')
