"""Chainer's ``chainer.backends`` namespace: :mod:`.cuda` and :mod:`.cpu`."""

from chainvision.backends import cpu, cuda  # noqa: F401
