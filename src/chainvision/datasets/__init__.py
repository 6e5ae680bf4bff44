"""Datasets read from their original files under the dataset root, and
Chainer's dataset API."""

from chainvision.datasets.root import get_dataset_root  # noqa: F401
