"""Chainer's ``chainer.dataset``: the pieces every dataset and iterator
shares — :func:`concat_examples`, :class:`DatasetMixin`, :class:`Iterator`,
:func:`get_dataset_root` and the download helpers, and the
:class:`Converter` base class with its :func:`converter` decorator.

The concrete datasets live in :mod:`chainvision.datasets`, the iterators in
:mod:`chainvision.iterators`.
"""

from chainvision.dataset.convert import (  # noqa: F401
    Batch, Converter, concat_examples, converter, to_device)
from chainvision.dataset.dataset_mixin import DatasetMixin  # noqa: F401
from chainvision.dataset.download import (  # noqa: F401
    cache_or_load_file, cached_download, get_dataset_directory, get_dataset_root,
    set_dataset_root)
from chainvision.dataset.iterator import Iterator  # noqa: F401
