"""Image folders and Chainer's image datasets on small generated files."""

import os

import numpy
import pytest
from PIL import Image

from chainvision import datasets


@pytest.fixture
def folder(tmp_path):
    """cat/: an RGB PNG, an RGBA PNG, a grayscale JPEG; dog/: a BMP, a CMYK
    JPEG, a WebP and a corrupt PNG; empty/: nothing; plus a non-image."""
    rng = numpy.random.RandomState(0)
    (tmp_path / 'cat').mkdir()
    (tmp_path / 'dog').mkdir()
    (tmp_path / 'empty').mkdir()
    rgb = rng.randint(0, 256, (6, 5, 3)).astype(numpy.uint8)
    Image.fromarray(rgb).save(tmp_path / 'cat' / 'a_rgb.png')
    rgba = numpy.concatenate([rgb, numpy.full((6, 5, 1), 128, numpy.uint8)], 2)
    Image.fromarray(rgba, 'RGBA').save(tmp_path / 'cat' / 'b_rgba.png')
    Image.fromarray(rgb[:, :, 0], 'L').save(tmp_path / 'cat' / 'c_gray.jpg', quality=100)
    Image.fromarray(rgb).save(tmp_path / 'dog' / 'a.bmp')
    Image.fromarray(rgb).convert('CMYK').save(tmp_path / 'dog' / 'b_cmyk.jpg', quality=100)
    Image.fromarray(rgb).save(tmp_path / 'dog' / 'c.webp', lossless=True)
    (tmp_path / 'dog' / 'd_corrupt.png').write_bytes(b'\x89PNG\r\n\x1a\n' + os.urandom(50))
    (tmp_path / 'dog' / 'notes.txt').write_text('not an image')
    return tmp_path, rgb


def test_classes_are_sorted_folders_and_an_empty_one_is_kept_with_a_warning(folder):
    root, _ = folder
    with pytest.warns(UserWarning, match='empty has no images'):
        data = datasets.image_folder(str(root))
    assert data.class_names == ['cat', 'dog', 'empty'] and data.num_classes == 3
    assert len(data) == 7  # the .txt file is not an image
    assert data.labels.tolist() == [0, 0, 0, 1, 1, 1, 1]


def test_every_mode_becomes_rgb_uint8(folder):
    root, rgb = folder
    with pytest.warns(UserWarning):
        data = datasets.image_folder(str(root))
    for i in (0, 1, 2, 3, 4, 5):
        image, label = data[i]
        assert image.shape == (3, 6, 5) and image.dtype == numpy.uint8
        assert label.dtype == numpy.int64
    numpy.testing.assert_array_equal(data[0][0], rgb.transpose(2, 0, 1))  # PNG: exact
    numpy.testing.assert_array_equal(data[1][0], rgb.transpose(2, 0, 1))  # RGBA: alpha dropped
    gray = data[2][0]
    numpy.testing.assert_array_equal(gray[0], gray[1])  # grayscale replicated into 3 channels
    numpy.testing.assert_array_equal(data[3][0], rgb.transpose(2, 0, 1))  # BMP: exact
    numpy.testing.assert_array_equal(data[5][0], rgb.transpose(2, 0, 1))  # lossless WebP
    # CMYK JPEG: lossy, but a wrong conversion would be off by about 100.
    assert numpy.abs(data[4][0].astype(int) - rgb.transpose(2, 0, 1)).mean() < 8


def test_corrupt_file_error_names_it(folder):
    root, _ = folder
    with pytest.warns(UserWarning):
        data = datasets.image_folder(str(root))
    with pytest.raises(datasets.DatasetFileError, match='d_corrupt.png'):
        data[6]


def test_skip_corrupt_leaves_it_out_and_counts_it(folder):
    root, _ = folder
    with pytest.warns(UserWarning) as record:
        data = datasets.image_folder(str(root), skip_corrupt=True)
    messages = [str(w.message) for w in record]
    assert any('skipping cannot read image' in m and 'd_corrupt.png' in m for m in messages)
    assert any('skipped 1 unreadable image' in m for m in messages)
    assert len(data) == 6
    assert [os.path.basename(p) for p in data.skipped] == ['d_corrupt.png']


def test_grayscale_mode_and_to_arrays(tmp_path):
    for cls in ('a', 'b'):
        (tmp_path / cls).mkdir()
        for i in range(2):
            Image.new('RGB', (4, 3), (10 * i, 20, 30)).save(tmp_path / cls / '{}.png'.format(i))
    data = datasets.image_folder(str(tmp_path), mode='L')
    images, labels = data.to_arrays()
    assert images.shape == (4, 1, 3, 4) and images.dtype == numpy.uint8
    assert labels.tolist() == [0, 0, 1, 1]
    Image.new('RGB', (9, 9)).save(tmp_path / 'a' / 'big.png')
    with pytest.raises(ValueError, match='different sizes'):
        datasets.image_folder(str(tmp_path)).to_arrays()


def test_missing_folder_and_folder_without_classes(tmp_path):
    with pytest.raises(datasets.DatasetFileError, match='does not exist'):
        datasets.image_folder(str(tmp_path / 'nope'))
    with pytest.raises(datasets.DatasetFileError, match='no class sub-folders'):
        datasets.image_folder(str(tmp_path))


def test_image_dataset_keeps_the_files_channels_as_chainer(folder):
    root, rgb = folder
    data = datasets.ImageDataset(['cat/a_rgb.png', 'cat/b_rgba.png', 'cat/c_gray.jpg'],
                                 root=str(root))
    assert [data[i].shape for i in range(3)] == [(3, 6, 5), (4, 6, 5), (1, 6, 5)]
    assert data[0].dtype == numpy.float32
    numpy.testing.assert_array_equal(data[0], rgb.transpose(2, 0, 1).astype(numpy.float32))
    assert len(data[0:2]) == 2


def test_labeled_image_dataset_from_a_text_file(folder):
    root, _ = folder
    listing = root / 'pairs.txt'
    listing.write_text('cat/a_rgb.png 3\ndog/a.bmp 7\n')
    data = datasets.LabeledImageDataset(str(listing), root=str(root))
    image, label = data[1]
    assert image.shape == (3, 6, 5) and label == 7 and label.dtype == numpy.int32
    listing.write_text('cat/a_rgb.png\n')
    with pytest.raises(ValueError, match='line 1'):
        datasets.LabeledImageDataset(str(listing))
