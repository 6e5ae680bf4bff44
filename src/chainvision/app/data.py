"""A run's data: the splits read into arrays, the validation split held
out, the normalisation statistics, and the loaders that put augmented
batches on the device."""

import functools
import os
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy
import torch

from chainvision import datasets as datasets_module

Split = Tuple[Any, Any]   # (uint8 images (N, C, H, W), int labels (N,))


class Data:
    """The splits as uint8 image arrays and int64 labels, plus what the
    model and the loaders need to know about them.

    Attributes:
        train, val, test: ``(images, labels)`` pairs; ``val``/``test`` may
            be ``None``.
        class_names (list of str): one name per label.
        mean, std: per-channel (or, for ``pixel-mean``, per-pixel)
            normalisation in ``[0, 1]`` pixel units, or ``None`` for none.
    """

    def __init__(self, train: Split, val: Optional[Split], test: Optional[Split],
                 class_names: Sequence[str], mean, std):
        self.train, self.val, self.test = train, val, test
        self.class_names = list(class_names)
        self.mean, self.std = mean, std

    @property
    def image_shape(self) -> Tuple[int, ...]:
        """``(C, H, W)`` of one image."""
        return tuple(self.train[0].shape[1:])


def dataset_key(name: str) -> str:
    """The registry spelling of a dataset name (``'Fashion-MNIST'`` ->
    ``'fashion_mnist'``)."""
    return name.replace('-', '_').lower()


def load_data(dataset, val_split: int, normalize: str,
              image_shape: Optional[Sequence[int]] = None, verify: bool = False,
              weights_mean_std: Optional[Tuple[Sequence[float], Sequence[float]]] = None) -> Data:
    """Read ``dataset`` (a name, a folder, arrays or a dict of splits: see
    :func:`chainvision.app.fit`), hold out ``val_split`` training examples
    (a fixed split, seed 0, so runs with different seeds share one
    validation set) and compute the ``normalize`` statistics.

    ``image_shape`` is the ``(C, H, W)`` the model takes, when known: the
    images of a folder, of any size and colour, are converted to ``C``
    channels and fitted to ``H x W`` (shorter side, centre crop; see
    :func:`chainvision.datasets.image_folder`).  ``verify`` hashes a named
    dataset's cached arrays whole (:func:`chainvision.datasets.load_arrays`).
    ``normalize='pretrained'`` takes ``weights_mean_std``, the ``(mean,
    std)`` that pre-trained weights expect."""
    train, test, class_names = _read_splits(dataset, image_shape, verify)
    if val_split:
        n = len(train[1])
        if not 0 < val_split < n:
            raise ValueError('val_split must be between 0 and {} (the training examples), '
                             'got {}.'.format(n, val_split))
        keep, held_out = datasets_module.split_indices(n, n - val_split, seed=0)
        val = (train[0][held_out], train[1][held_out])
        train = (train[0][keep], train[1][keep])
    else:
        val = None
    if normalize == 'pretrained':
        mean, std = (list(stats) for stats in weights_mean_std)
    else:
        mean, std = NORMALIZATIONS[normalize](dataset, train[0])
    return Data(train, val, test, class_names, mean, std)


def _read_splits(dataset, image_shape, verify):
    if isinstance(dataset, dict):
        return dataset['train'], dataset.get('test'), _class_names(dataset['train'][1])
    if isinstance(dataset, (tuple, list)):
        return tuple(dataset), None, _class_names(dataset[1])
    if os.path.isdir(dataset):
        return _read_folder(dataset, image_shape)
    info = datasets_module.get_info(dataset)
    return (datasets_module.load_arrays(dataset, 'train', verify),
            datasets_module.load_arrays(dataset, 'test', verify), info.class_names)


def _class_names(labels) -> List[str]:
    return [str(i) for i in range(int(numpy.max(labels)) + 1)]


def _read_folder(path, image_shape):
    subfolders = {name: os.path.join(path, name) for name in ('train', 'test')}
    if all(os.path.isdir(p) for p in subfolders.values()):
        train_images, train_labels, names = _folder_arrays(subfolders['train'], image_shape)
        test_images, test_labels, _ = _folder_arrays(subfolders['test'], image_shape)
        return (train_images, train_labels), (test_images, test_labels), names
    images, labels, names = _folder_arrays(path, image_shape)
    return (images, labels), None, names


def _folder_arrays(path, image_shape):
    if image_shape is None:
        folder = datasets_module.image_folder(path)
    else:
        folder = datasets_module.image_folder(path, pillow_mode(image_shape[0]),
                                              size=tuple(image_shape[1:]))
    images, labels = folder.to_arrays()
    return images, labels, folder.class_names


def pillow_mode(channels: int) -> str:
    """The Pillow mode image files are converted to for a model taking
    ``channels``-channel images: ``'L'`` (grey) or ``'RGB'``."""
    modes = {1: 'L', 3: 'RGB'}
    if channels not in modes:
        raise ValueError('the model takes {}-channel images; image files are read as grey (1) '
                         'or colour (3) only'.format(channels))
    return modes[channels]


def _mean_std(dataset, train_images):
    if isinstance(dataset, str) and not os.path.isdir(dataset):
        mean, std = datasets_module.train_mean_std(dataset)
    else:
        mean, std = datasets_module.compute_mean_std(train_images)
    return mean.tolist(), std.tolist()


def _pixel_mean(dataset, train_images):
    # He et al. 2016: subtract the per-pixel mean of the training images, no scaling.
    mean = numpy.asarray(train_images).mean(axis=0, dtype=numpy.float64) / 255.
    return mean.astype(numpy.float32), numpy.ones_like(mean, numpy.float32)


# The ``normalize`` option's choices: name -> (dataset, training images) -> (mean, std).
NORMALIZATIONS = {
    'mean-std': _mean_std,
    'pixel-mean': _pixel_mean,
    'none': lambda dataset, train_images: (None, None),
}
# ... and 'pretrained': the normalisation the weights a run starts from expect.
NORMALIZE_CHOICES = tuple(NORMALIZATIONS) + ('pretrained',)


def make_loaders(data: Data, batch_size: int, eval_batch_size: int, augment: str, seed: int,
                 device: torch.device) -> Tuple[Any, Dict[str, Any]]:
    """The training loader (shuffled, repeating, augmented with the
    ``augment`` spec) and a dict ``{'val': ..., 'test': ...}`` of one-pass
    evaluation loaders for the splits that exist, all on ``device``.

    Training batches are all full (drop_last) whenever the data allows, so
    every update, and every rank's shard, sees the same number of images.
    """
    make = functools.partial(datasets_module.DeviceLoader, mean=data.mean, std=data.std,
                             device=device)
    train = make(*data.train, batch_size=batch_size,
                 augmentation=datasets_module.Augmentation.parse(augment),
                 shuffle=True, repeat=True, seed=seed,
                 drop_last=len(data.train[1]) >= batch_size)
    evaluation = {name: make(*split, batch_size=eval_batch_size, shuffle=False, repeat=False)
                  for name, split in (('val', data.val), ('test', data.test))
                  if split is not None}
    return train, evaluation
