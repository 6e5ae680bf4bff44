"""A folder with one sub-folder of images per class (torchvision's
``ImageFolder`` layout), decoded with Pillow."""

import collections
import os
import warnings
from collections.abc import Sequence

import numpy

from chainvision.dataset.dataset_mixin import DatasetMixin
from chainvision.datasets._files import DatasetFileError
from chainvision.datasets._image_io import (
    IMAGE_EXTENSIONS, read_image, read_size, resize_and_center_crop)


class ImageFolder(DatasetMixin):
    """Images in ``root/<class name>/**/*.{png,jpg,webp,bmp,...}``.

    The ``i``-th example is ``(image, label)``: uint8 ``(C, H, W)`` (C = 3
    for ``mode='RGB'``, 1 for ``'L'``) and an int64 label, the index of the
    class folder in sorted order.  Build it with :func:`image_folder`.

    What is left out, each kind with one warning: class folders without
    images (so they take no label), files that are not images by their
    extension (hidden files such as ``.DS_Store`` silently), and folders
    reached a second time through a symbolic link (a link loop such as
    ``cat/loop -> ..`` would otherwise read the whole tree again, mislabelled).

    Attributes:
        class_names (list of str): the class folders with images, sorted.
        samples (list of (str, int)): paths and labels, sorted by class then name.
        size ((int, int) or None): every image is fitted to this
            ``(height, width)`` (see :func:`image_folder`).
        empty_classes (list of str): class folders left out for having no image.
        non_images (list of str): files left out for not being images.
        skipped_links (list of str): links to folders already read, not followed.
        skipped (list of str): unreadable images left out (``skip_corrupt=True``).
    """

    def __init__(self, root: str, mode: str = 'RGB', skip_corrupt: bool = False,
                 size: int | Sequence[int] | None = None) -> None:
        if not os.path.isdir(root):
            raise DatasetFileError('image folder {} does not exist'.format(root))
        self.root = root
        self.mode = mode
        self.size: tuple[int, ...] | None = (size, size) if isinstance(size, int) else (
            None if size is None else tuple(size))
        listing = _Listing(root)
        classes = [(name, listing.images(os.path.join(root, name)))
                   for name in listing.class_folders()]
        self.empty_classes = [name for name, files in classes if not files]
        classes = [(name, files) for name, files in classes if files]
        self.class_names = [name for name, _ in classes]
        self.samples = [(path, label) for label, (_, files) in enumerate(classes)
                        for path in files]
        self.non_images = listing.non_images
        self.skipped_links = listing.skipped_links
        self._warn_left_out()
        if len(self.class_names) < 2:
            raise DatasetFileError(
                '{} has {} class folder(s) with images{}; a classifier needs at least two: '
                'put the images into root/<class name>/<image> files'.format(
                    root, len(self.class_names),
                    ' ({})'.format(', '.join(self.class_names)) if self.class_names else ''))
        self.skipped: list[str] = []
        if skip_corrupt:
            self._drop_unreadable()

    def _warn_left_out(self) -> None:
        if self.empty_classes:
            warnings.warn('left out class folder(s) of {} without images: {}'.format(
                self.root, ', '.join(self.empty_classes)))
        if self.non_images:
            warnings.warn('skipped {} file(s) in {} that are not images ({}), e.g. {}'.format(
                len(self.non_images), self.root, '/'.join(IMAGE_EXTENSIONS),
                os.path.relpath(self.non_images[0], self.root)))
        if self.skipped_links:
            warnings.warn('did not follow {} link(s) into folders already read: {}'.format(
                len(self.skipped_links),
                ', '.join(os.path.relpath(p, self.root) for p in self.skipped_links)))

    def _drop_unreadable(self) -> None:
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
    def num_classes(self) -> int:
        """Number of class folders with images."""
        return len(self.class_names)

    @property
    def labels(self) -> numpy.ndarray:
        """int64 ``(N,)`` array of all labels (no file is read)."""
        return numpy.array([label for _, label in self.samples], dtype=numpy.int64)

    def __len__(self) -> int:
        return len(self.samples)

    def get_example(self, i: int) -> tuple[numpy.ndarray, numpy.int64]:
        path, label = self.samples[i]
        image = read_image(path, self.mode)
        if self.size is not None:
            image = resize_and_center_crop(image, self.size)
        return image, numpy.int64(label)

    def to_arrays(self) -> tuple[numpy.ndarray, numpy.ndarray]:
        """Decode every image into one uint8 ``(N, C, H, W)`` array and int64
        labels, for :class:`DeviceLoader`.

        Images are fitted to ``size``; without one, to the most common
        image size of the folder.  Either way one warning says how many
        images were resized."""
        size = self.size or collections.Counter(
            read_size(path) for path, _ in self.samples).most_common(1)[0][0]
        images, resized = [], 0
        for path, _ in self.samples:
            image = read_image(path, self.mode)
            resized += image.shape[1:] != size
            images.append(resize_and_center_crop(image, size))
        if resized:
            warnings.warn('resized {} of {} images of {} to {}x{} (shorter side, then centre '
                          'crop; bilinear, antialiased)'.format(
                              resized, len(images), self.root, *size))
        return numpy.stack(images), self.labels

class _Listing:
    """Walks the class folders, following a symbolic link only into a
    folder not read before (folders are told apart by device and inode,
    so two paths to one folder are one folder)."""

    def __init__(self, root: str) -> None:
        self.root = root
        self._seen = {_folder_key(root)}
        self.non_images: list[str] = []
        self.skipped_links: list[str] = []

    def class_folders(self) -> list[str]:
        """Names of the class sub-folders, sorted; claimed as read, so that a
        link from one class into another is not followed."""
        names = []
        for entry in sorted(os.scandir(self.root), key=lambda e: e.name):
            if entry.is_dir() and not entry.name.startswith('.') and self._claim(entry.path):
                names.append(entry.name)
        if not names:
            raise DatasetFileError('{} has no class sub-folders; expected root/<class>/<image> '
                                   'files'.format(self.root))
        return names

    def images(self, folder: str) -> list[str]:
        """Image paths under ``folder`` (any depth), sorted."""
        paths = []
        for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
            dirnames[:] = [name for name in sorted(dirnames)
                           if self._claim(os.path.join(dirpath, name))]
            for name in filenames:
                path = os.path.join(dirpath, name)
                if name.lower().endswith(IMAGE_EXTENSIONS):
                    paths.append(path)
                elif not name.startswith('.'):
                    self.non_images.append(path)
        return sorted(paths)

    def _claim(self, path: str) -> bool:
        key = _folder_key(path)
        if key in self._seen:
            self.skipped_links.append(path)
            return False
        self._seen.add(key)
        return True


def _folder_key(path: str) -> tuple[int, int]:
    stat = os.stat(path)
    return stat.st_dev, stat.st_ino


def image_folder(root: str, mode: str = 'RGB', skip_corrupt: bool = False,
                 size: int | Sequence[int] | None = None) -> ImageFolder:
    """Open a folder of class sub-folders of images.

    Args:
        root (str): the folder; ``root/cat/1.png`` has class ``'cat'``.
        mode (str): Pillow mode every image is converted to: ``'RGB'``
            (grayscale, palette, RGBA — alpha dropped — and CMYK become RGB)
            or ``'L'`` (grayscale, from RGB by ITU-R 601-2 luma).
        skip_corrupt (bool): ``False``: an unreadable file raises
            :class:`DatasetFileError` naming it when it is read.  ``True``:
            every file is decoded once now; unreadable ones are left out,
            warned about and listed in ``.skipped``.
        size (int or (int, int) or None): fit every image to this
            ``(height, width)`` — a network's input size — by scaling it to
            cover the size and cutting the centre
            (:func:`~chainvision.datasets._image_io.resize_and_center_crop`);
            ``None`` keeps each image's own size.

    Returns:
        ImageFolder: examples ``(uint8 (C, H, W) image, int64 label)``.

    Raises:
        DatasetFileError: ``root`` is missing or has fewer than two class
            folders with images.
    """
    return ImageFolder(root, mode, skip_corrupt, size)
