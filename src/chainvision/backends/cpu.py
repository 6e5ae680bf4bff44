"""Chainer's ``chainer.backends.cpu`` helpers."""

from chainvision.backend import CpuDevice, to_cpu  # noqa: F401
