"""Chainer's ``chainer.dataset``: the pieces every dataset and iterator
shares — :func:`concat_examples`, :class:`DatasetMixin`, :class:`Iterator`,
:func:`get_dataset_root`.

The concrete datasets live in :mod:`chainvision.datasets`, the iterators in
:mod:`chainvision.iterators`.
"""

from chainvision.dataset.convert import Batch, concat_examples, to_device  # noqa: F401
from chainvision.dataset.dataset_mixin import DatasetMixin  # noqa: F401
from chainvision.dataset.download import get_dataset_root  # noqa: F401
from chainvision.dataset.iterator import Iterator  # noqa: F401
