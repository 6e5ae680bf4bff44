"""Decoding one image file with Pillow, with errors that name the file, and
fitting an image to a network's input size."""

import contextlib

import numpy

from chainvision.datasets._files import DatasetFileError

IMAGE_EXTENSIONS = ('.bmp', '.gif', '.jpeg', '.jpg', '.pgm', '.png', '.ppm', '.tif', '.tiff',
                    '.webp')


def read_image(path, mode=None):
    """Decode ``path`` into a uint8 ``(C, H, W)`` NumPy array.

    Args:
        path (str): an image file Pillow can read (PNG, JPEG, WebP, BMP...).
        mode (str or None): Pillow mode to convert to: ``'RGB'`` (grayscale,
            RGBA — alpha dropped, as torchvision — palette and CMYK become
            3 channels), ``'L'`` (1 channel); ``None`` keeps the file's own
            channels (1 for grayscale, 4 for RGBA), as Chainer does.

    Raises:
        DatasetFileError: the file is missing, truncated or not an image.
    """
    with _opened(path) as image:
        image.load()
        if mode is not None and image.mode != mode:
            image = image.convert(mode)
        array = numpy.asarray(image)
    if array.dtype != numpy.uint8:
        array = _to_uint8(array)
    if array.ndim == 2:
        array = array[:, :, None]
    return numpy.ascontiguousarray(array.transpose(2, 0, 1))


def read_size(path):
    """``(height, width)`` of an image file, from its header (the pixels
    are not decoded).  Raises :class:`DatasetFileError` as :func:`read_image`."""
    with _opened(path) as image:
        return image.height, image.width


@contextlib.contextmanager
def _opened(path):
    from PIL import Image
    try:
        with Image.open(path) as image:
            yield image
    except (OSError, ValueError, SyntaxError) as error:
        # Pillow raises OSError for truncated files, UnidentifiedImageError
        # (an OSError) for non-images, SyntaxError/ValueError for bad headers.
        raise DatasetFileError('cannot read image {} ({}); check that it exists and is a '
                               'whole image file ({})'.format(
                                   path, error, '/'.join(IMAGE_EXTENSIONS))) from None


def _to_uint8(array):
    # 16-bit and 1-bit images: scale to the 8-bit range.
    if array.dtype == bool:
        return array.astype(numpy.uint8) * 255
    return (array.astype(numpy.float64) * 255. / numpy.iinfo(array.dtype).max).round().astype(
        numpy.uint8)


def resize_and_center_crop(image, size):
    """Fit a uint8 ``(C, H, W)`` image to ``size`` = ``(height, width)``:
    scale it so that it just covers ``size`` (a square target: its shorter
    side becomes the target's), then cut the centre, as torchvision's
    ``Resize`` then ``CenterCrop``.

    Resizing uses Pillow's bilinear filter, whose support widens with the
    reduction factor, so a large photo shrinks without aliasing (it agrees
    within one grey level with ``torch.nn.functional.interpolate(...,
    mode='bilinear', antialias=True)``).  An image already of ``size`` is
    returned unchanged.

    Returns:
        uint8 ``(C, *size)`` NumPy array.
    """
    from PIL import Image
    height, width = size
    _, h, w = image.shape
    if (h, w) == (height, width):
        return image
    scale = max(height / h, width / w)
    new_h, new_w = max(height, round(h * scale)), max(width, round(w * scale))
    top, left = round((new_h - height) / 2), round((new_w - width) / 2)
    # One channel at a time: Pillow resamples channels independently, and
    # this takes any channel count (1, 2, 3, 4) without choosing a mode.
    channels = [numpy.asarray(Image.fromarray(plane).resize((new_w, new_h), Image.BILINEAR))
                for plane in image]
    return numpy.ascontiguousarray(
        numpy.stack(channels)[:, top:top + height, left:left + width])
