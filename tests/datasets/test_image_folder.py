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


def test_classes_are_sorted_folders_and_an_empty_one_is_left_out_with_a_warning(folder):
    root, _ = folder
    with pytest.warns(UserWarning) as record:
        data = datasets.image_folder(str(root))
    assert data.class_names == ['cat', 'dog'] and data.num_classes == 2
    assert data.empty_classes == ['empty']
    assert len(data) == 7  # the .txt file is not an image
    assert data.labels.tolist() == [0, 0, 0, 1, 1, 1, 1]
    messages = [str(w.message) for w in record]
    assert any('without images: empty' in m for m in messages)


def test_non_image_files_are_skipped_with_one_warning_that_counts_them(folder):
    root, _ = folder
    (root / 'cat' / 'readme.md').write_text('notes')
    (root / 'cat' / '.DS_Store').write_bytes(b'\0')  # hidden: left out silently
    with pytest.warns(UserWarning) as record:
        data = datasets.image_folder(str(root))
    counted = [str(w.message) for w in record if 'not images' in str(w.message)]
    assert len(counted) == 1 and counted[0].startswith('skipped 2 file(s) in ')
    assert sorted(os.path.basename(p) for p in data.non_images) == ['notes.txt', 'readme.md']


def _two_classes(root, size=(4, 4)):
    for cls in ('cat', 'dog'):
        (root / cls).mkdir()
        for i in range(2):
            Image.new('RGB', size, (100 * i, 20, 30)).save(root / cls / '{}.png'.format(i))


def test_a_symlink_loop_is_not_followed_and_is_listed(tmp_path):
    _two_classes(tmp_path)
    os.symlink('..', tmp_path / 'cat' / 'loop')  # cat/loop/dog/... would be dogs labelled cat
    with pytest.warns(UserWarning, match=r'did not follow 1 link\(s\).*cat/loop'):
        data = datasets.image_folder(str(tmp_path))
    assert len(data) == 4 and data.labels.tolist() == [0, 0, 1, 1]
    assert data.skipped_links == [str(tmp_path / 'cat' / 'loop')]


def test_a_folder_outside_the_root_is_read_once_through_two_links(tmp_path):
    root = tmp_path / 'root'
    root.mkdir()
    _two_classes(root)
    extra = tmp_path / 'extra'
    extra.mkdir()
    Image.new('RGB', (4, 4)).save(extra / 'x.png')
    os.symlink(extra, root / 'cat' / 'more')
    os.symlink(extra, root / 'dog' / 'more')
    with pytest.warns(UserWarning, match='did not follow 1 link'):
        data = datasets.image_folder(str(root))
    assert len(data) == 5 and data.labels.tolist() == [0, 0, 0, 1, 1]
    assert data.samples[2][0] == str(root / 'cat' / 'more' / 'x.png')
    assert data.skipped_links == [str(root / 'dog' / 'more')]


def test_fewer_than_two_classes_is_an_error(tmp_path):
    (tmp_path / 'only').mkdir()
    Image.new('RGB', (4, 4)).save(tmp_path / 'only' / 'a.png')
    (tmp_path / 'empty').mkdir()
    with pytest.warns(UserWarning, match='without images: empty'):
        with pytest.raises(datasets.DatasetFileError,
                           match=r'has 1 class folder\(s\) with images \(only\).*at least two'):
            datasets.image_folder(str(tmp_path))


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
    # ITU-R 601-2 luma of (10, 20, 30): 0.299 * 10 + 0.587 * 20 + 0.114 * 30 = 18.15
    assert images[1, 0, 0, 0] == 18


def _torch_resize_then_center_crop(image, size):
    # The reference: torch's antialiased bilinear resize of the whole image
    # so that it covers size, then the central crop (torchvision's
    # Resize + CenterCrop); Pillow agrees with it within one grey level.
    import torch
    import torch.nn.functional as F
    _, h, w = image.shape
    scale = max(size[0] / h, size[1] / w)
    new = (max(size[0], round(h * scale)), max(size[1], round(w * scale)))
    x = F.interpolate(torch.tensor(image, dtype=torch.float32)[None], size=new, mode='bilinear',
                      antialias=True, align_corners=False)[0]
    top, left = round((new[0] - size[0]) / 2), round((new[1] - size[1]) / 2)
    return x[:, top:top + size[0], left:left + size[1]].round().clamp(0, 255).numpy()


def test_images_of_any_size_are_fitted_to_the_given_size(tmp_path):
    rng = numpy.random.RandomState(0)
    pictures = {'cat/wide.png': rng.randint(0, 256, (40, 90, 3)),
                'cat/small.png': rng.randint(0, 256, (9, 7, 3)),
                'dog/tall.png': rng.randint(0, 256, (120, 50, 3)),
                'dog/exact.png': rng.randint(0, 256, (28, 28, 3))}
    for name, pixels in pictures.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        Image.fromarray(pixels.astype(numpy.uint8)).save(tmp_path / name)
    data = datasets.image_folder(str(tmp_path), size=28)
    with pytest.warns(UserWarning) as record:
        images, labels = data.to_arrays()
    assert images.shape == (4, 3, 28, 28) and labels.tolist() == [0, 0, 1, 1]
    said = [str(w.message) for w in record]
    assert said == ['resized 3 of 4 images of {} to 28x28 (shorter side, then centre crop; '
                    'bilinear, antialiased)'.format(tmp_path)]
    for index, name in enumerate(['cat/small.png', 'cat/wide.png', 'dog/exact.png',
                                  'dog/tall.png']):
        original = pictures[name].astype(numpy.uint8).transpose(2, 0, 1)
        expected = _torch_resize_then_center_crop(original, (28, 28))
        assert numpy.abs(images[index].astype(int) - expected).max() <= 1, name
        numpy.testing.assert_array_equal(data[index][0], images[index])
    numpy.testing.assert_array_equal(images[2], pictures['dog/exact.png'].transpose(2, 0, 1))


def test_mixed_sizes_without_a_size_take_the_most_common_one(tmp_path):
    _two_classes(tmp_path, size=(4, 3))
    Image.new('RGB', (9, 9), (50, 60, 70)).save(tmp_path / 'cat' / 'big.png')
    with pytest.warns(UserWarning, match='resized 1 of 5 images .* to 3x4'):
        images, _ = datasets.image_folder(str(tmp_path)).to_arrays()
    assert images.shape == (5, 3, 3, 4)
    assert images[2, :, 1, 1].tolist() == [50, 60, 70]  # a uniform image stays uniform


def test_colour_images_become_grey_and_grey_become_colour_for_the_model(tmp_path):
    _two_classes(tmp_path, size=(30, 20))
    Image.new('L', (20, 30), 77).save(tmp_path / 'dog' / 'grey.png')
    with pytest.warns(UserWarning, match='resized 5 of 5'):
        grey, _ = datasets.image_folder(str(tmp_path), mode='L', size=(28, 28)).to_arrays()
        colour, _ = datasets.image_folder(str(tmp_path), mode='RGB', size=(32, 32)).to_arrays()
    assert grey.shape == (5, 1, 28, 28) and colour.shape == (5, 3, 32, 32)
    assert (colour[4] == 77).all() and (grey[4] == 77).all()


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
