"""A folder with one sub-folder of images per class (torchvision's
``ImageFolder`` layout), decoded with Pillow."""

import os
import warnings

import numpy

from chainvision.dataset.dataset_mixin import DatasetMixin
from chainvision.datasets._files import DatasetFileError
from chainvision.datasets._image_io import IMAGE_EXTENSIONS, read_image


class ImageFolder(DatasetMixin):
    """Images in ``root/<class name>/*.{png,jpg,webp,bmp,...}``.

    The ``i``-th example is ``(image, label)``: uint8 ``(C, H, W)`` (C = 3
    for ``mode='RGB'``, 1 for ``'L'``) and an int64 label, the index of the
    class folder in sorted order.  Build it with :func:`image_folder`.

    Attributes:
        class_names (list of str): the class folders, sorted; an empty class
            folder is kept (so labels do not shift) and warned about.
        samples (list of (str, int)): paths and labels, sorted by class then name.
        skipped (list of str): unreadable files left out (``skip_corrupt=True``).
    """

    def __init__(self, root, mode='RGB', skip_corrupt=False):
        if not os.path.isdir(root):
            raise DatasetFileError('image folder {} does not exist'.format(root))
        self.root = root
        self.mode = mode
        self.class_names = sorted(e.name for e in os.scandir(root) if e.is_dir())
        if not self.class_names:
            raise DatasetFileError('{} has no class sub-folders; expected root/<class>/<image> '
                                   'files'.format(root))
        self.samples = []
        for label, name in enumerate(self.class_names):
            files = _image_files(os.path.join(root, name))
            if not files:
                warnings.warn('class folder {} has no images'.format(os.path.join(root, name)))
            self.samples.extend((path, label) for path in files)
        self.skipped = []
        if skip_corrupt:
            self._drop_unreadable()

    def _drop_unreadable(self):
        readable = []
        for path, label in self.samples:
            try:
                read_image(path, self.mode)
                readable.append((path, label))
            except DatasetFileError as error:
                self.skipped.append(path)
                warnings.warn('skipping {}'.format(error))
        self.samples = readable
        if self.skipped:
            warnings.warn('skipped {} unreadable image(s) in {}'.format(len(self.skipped),
                                                                        self.root))

    @property
    def num_classes(self):
        """Number of class folders."""
        return len(self.class_names)

    @property
    def labels(self):
        """int64 ``(N,)`` array of all labels (no file is read)."""
        return numpy.array([label for _, label in self.samples], dtype=numpy.int64)

    def __len__(self):
        return len(self.samples)

    def get_example(self, i):
        path, label = self.samples[i]
        return read_image(path, self.mode), numpy.int64(label)

    def to_arrays(self):
        """Decode every image into one uint8 ``(N, C, H, W)`` array and int64
        labels, for :class:`DeviceLoader`; all images must have one size."""
        images = [self.get_example(i)[0] for i in range(len(self))]
        shapes = sorted({image.shape for image in images})
        if len(shapes) > 1:
            raise ValueError('images in {} have different sizes {}...; use FolderLoader, which '
                             'crops/resizes each image'.format(self.root, shapes[:3]))
        return numpy.stack(images), self.labels


def _image_files(folder):
    paths = []
    for dirpath, _, filenames in os.walk(folder, followlinks=True):
        paths.extend(os.path.join(dirpath, f) for f in filenames
                     if f.lower().endswith(IMAGE_EXTENSIONS) and not f.startswith('.'))
    return sorted(paths)


def image_folder(root, mode='RGB', skip_corrupt=False):
    """Open a folder of class sub-folders of images.

    Args:
        root (str): the folder; ``root/cat/1.png`` has class ``'cat'``.
        mode (str): Pillow mode every image is converted to: ``'RGB'``
            (grayscale, palette, RGBA — alpha dropped — and CMYK become RGB)
            or ``'L'`` (grayscale).
        skip_corrupt (bool): ``False``: an unreadable file raises
            :class:`DatasetFileError` naming it when it is read.  ``True``:
            every file is decoded once now; unreadable ones are left out,
            warned about and listed in ``.skipped``.

    Returns:
        ImageFolder: examples ``(uint8 (C, H, W) image, int64 label)``.
    """
    return ImageFolder(root, mode, skip_corrupt)
