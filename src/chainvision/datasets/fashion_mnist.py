"""Fashion-MNIST (Xiao et al. 2017): 28x28 grey images of 10 kinds of
clothing, 60,000 train and 10,000 test, from the original idx ``.gz`` files
in ``<root>/fashion-mnist``."""

import numpy
from numpy.typing import DTypeLike

from chainvision.datasets._mnist_helper import register_idx_dataset, to_chainer_dataset
from chainvision.datasets.tuple_dataset import TupleDataset

FASHION_MNIST = register_idx_dataset(
    'fashion_mnist', 'fashion-mnist',
    urls=['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'],
    md5s={'train-images-idx3-ubyte.gz': '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
          'train-labels-idx1-ubyte.gz': '25c81989df183df01b3e8a0aad5dffbe',
          't10k-images-idx3-ubyte.gz': 'bef4ecab320f06d8554ea6380940ec79',
          't10k-labels-idx1-ubyte.gz': 'bb300cfdad3c16e7a12a480ee83cd310'},
    class_names=('T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt',
                 'Sneaker', 'Bag', 'Ankle boot'))


def get_fashion_mnist_labels() -> tuple[str, ...]:
    """The 10 class names, in label order (Chainer's function of that name)."""
    return FASHION_MNIST.class_names


def get_fashion_mnist(withlabel: bool = True, ndim: int = 1, scale: float = 1.,
                      dtype: DTypeLike | None = None, label_dtype: DTypeLike = numpy.int32,
                      rgb_format: bool = False) -> tuple[TupleDataset | numpy.ndarray, ...]:
    """Return Fashion-MNIST's ``(train, test)``; arguments as :func:`get_mnist`."""
    return tuple(to_chainer_dataset(*FASHION_MNIST.load_split(split), withlabel, ndim, scale,
                                    dtype, label_dtype, rgb_format)
                 for split in ('train', 'test'))
