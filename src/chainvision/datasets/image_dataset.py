"""Chainer's ``ImageDataset`` and ``LabeledImageDataset``: images listed by path."""

import os

import numpy

import chainvision
from chainvision.dataset.dataset_mixin import DatasetMixin
from chainvision.datasets._image_io import read_image


def _read_lines(path):
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


class ImageDataset(DatasetMixin):
    """Images listed by path; the ``i``-th example is a ``(C, H, W)`` array.

    Args:
        paths (list of str or str): image paths, or a text file with one path
            a line.
        root (str): folder the paths are relative to.
        dtype: dtype of the returned arrays (default ``chainvision.config.dtype``);
            values stay in [0, 255] as in Chainer.

    Channels are the file's own (1 for grayscale, 3 for RGB, 4 for RGBA), as
    in Chainer; use :func:`chainvision.datasets.image_folder` to convert all
    to RGB.  An unreadable file raises :class:`DatasetFileError` naming it.
    """

    def __init__(self, paths, root='.', dtype=None):
        self._paths = _read_lines(paths) if isinstance(paths, str) else list(paths)
        self._root = root
        self._dtype = dtype

    def __len__(self):
        return len(self._paths)

    def get_example(self, i):
        image = read_image(os.path.join(self._root, self._paths[i]))
        return image.astype(self._dtype or chainvision.config.dtype)


class LabeledImageDataset(DatasetMixin):
    """Images with integer labels; the ``i``-th example is ``(image, label)``.

    Args:
        pairs (list of (str, int) or str): ``(path, label)`` pairs, or a text
            file with ``path label`` on each line.
        root (str): folder the paths are relative to.
        dtype: image dtype (default ``chainvision.config.dtype``, values in [0, 255]).
        label_dtype: label dtype (default int32, as Chainer).
    """

    def __init__(self, pairs, root='.', dtype=None, label_dtype=numpy.int32):
        if isinstance(pairs, str):
            pairs = [_parse_pair(line, pairs, n) for n, line in enumerate(_read_lines(pairs), 1)]
        self._pairs = list(pairs)
        self._root = root
        self._dtype = dtype
        self._label_dtype = label_dtype

    def __len__(self):
        return len(self._pairs)

    def get_example(self, i):
        path, label = self._pairs[i]
        image = read_image(os.path.join(self._root, path))
        return (image.astype(self._dtype or chainvision.config.dtype),
                numpy.array(label, dtype=self._label_dtype))


def _parse_pair(line, source, number):
    fields = line.split()
    if len(fields) != 2:
        raise ValueError('{} line {}: expected "path label", got {!r}'.format(source, number, line))
    return fields[0], int(fields[1])
