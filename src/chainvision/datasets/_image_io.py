"""Decoding one image file with Pillow, with errors that name the file."""

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
    from PIL import Image
    try:
        with Image.open(path) as image:
            image.load()
            if mode is not None and image.mode != mode:
                image = image.convert(mode)
            array = numpy.asarray(image)
    except (OSError, ValueError, SyntaxError) as error:
        # Pillow raises OSError for truncated files, UnidentifiedImageError
        # (an OSError) for non-images, SyntaxError/ValueError for bad headers.
        raise DatasetFileError('cannot read image {}: {}'.format(path, error)) from None
    if array.dtype != numpy.uint8:
        array = _to_uint8(array)
    if array.ndim == 2:
        array = array[:, :, None]
    return numpy.ascontiguousarray(array.transpose(2, 0, 1))


def _to_uint8(array):
    # 16-bit and 1-bit images: scale to the 8-bit range.
    if array.dtype == bool:
        return array.astype(numpy.uint8) * 255
    return (array.astype(numpy.float64) * 255. / numpy.iinfo(array.dtype).max).round().astype(
        numpy.uint8)
