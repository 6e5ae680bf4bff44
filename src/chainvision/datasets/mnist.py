"""MNIST (LeCun et al. 1998): 28x28 grey hand-written digits, 60,000 train
and 10,000 test, from the four original idx ``.gz`` files in ``<root>/mnist``."""

import numpy
from numpy.typing import DTypeLike

from chainvision.datasets._mnist_helper import register_idx_dataset, to_chainer_dataset
from chainvision.datasets.tuple_dataset import TupleDataset

MNIST = register_idx_dataset(
    'mnist', 'mnist',
    urls=['https://ossci-datasets.s3.amazonaws.com/mnist/', 'http://yann.lecun.com/exdb/mnist/'],
    md5s={'train-images-idx3-ubyte.gz': 'f68b3c2dcbeaaa9fbdd348bbdeb94873',
          'train-labels-idx1-ubyte.gz': 'd53e105ee54ea40749a09fcbcd1e9432',
          't10k-images-idx3-ubyte.gz': '9fb629c4189551a2d022fa330f9573f3',
          't10k-labels-idx1-ubyte.gz': 'ec29112dd5afa0611ce80d1b7f02629c'},
    class_names=tuple(str(d) for d in range(10)))


def get_mnist(withlabel: bool = True, ndim: int = 1, scale: float = 1.,
              dtype: DTypeLike | None = None, label_dtype: DTypeLike = numpy.int32,
              rgb_format: bool = False) -> tuple[TupleDataset | numpy.ndarray, ...]:
    """Return MNIST's ``(train, test)`` as in Chainer.

    Args:
        withlabel (bool): datasets of ``(image, label)`` tuples
            (:class:`TupleDataset`) if ``True``, else arrays of images.
        ndim (int): image shape: 1: ``(784,)``, 2: ``(28, 28)``, 3: ``(1, 28, 28)``.
        scale (float): pixels are scaled to ``[0, scale]``.
        dtype: image dtype (default ``chainvision.config.dtype``, float32).
        label_dtype: label dtype (default int32, as Chainer).
        rgb_format (bool): with ``ndim=3``, repeat the channel: ``(3, 28, 28)``.

    Returns:
        ``(train, test)``: 60,000 and 10,000 examples (NumPy arrays).
    """
    return tuple(to_chainer_dataset(*MNIST.load_split(split), withlabel, ndim, scale, dtype,
                                    label_dtype, rgb_format) for split in ('train', 'test'))
