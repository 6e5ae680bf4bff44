"""Batched augmentations: invariants and exact agreement with per-image
references."""

import numpy
import pytest
import torch
import torch.nn.functional as F

from chainvision.datasets import Augmentation
from chainvision.datasets.loader import augment


def _gen(seed=0):
    return torch.Generator().manual_seed(seed)


def _distinct_images(n=16, c=2, h=6, w=7):
    # Every pixel value is unique, so a crop's position can be read back.
    return torch.arange(n * c * h * w, dtype=torch.int64).reshape(n, c, h, w) + 1


def test_flip_twice_with_the_same_draws_is_identity():
    x = _distinct_images()
    once = augment.flip_lr(x, _gen(3))
    assert torch.equal(augment.flip_lr(once, _gen(3)), x)
    flipped = [not torch.equal(once[i], x[i]) for i in range(len(x))]
    for i, was_flipped in enumerate(flipped):
        assert torch.equal(once[i], x[i].flip(-1) if was_flipped else x[i])
    assert 0 < sum(flipped) < len(x)


@pytest.mark.parametrize('mode, pad_mode', [('zeros', 'constant'), ('reflect', 'reflect')])
def test_crops_are_windows_of_the_padded_image(mode, pad_mode):
    x = _distinct_images()
    padding = 3
    out = augment.random_crop_with_padding(x, padding, _gen(), mode)
    assert out.shape == x.shape and out.dtype == x.dtype
    padded = F.pad(x.float(), (padding,) * 4, mode=pad_mode).long()
    offsets = set()
    for i in range(len(x)):
        matches = [(dy, dx) for dy in range(2 * padding + 1) for dx in range(2 * padding + 1)
                   if torch.equal(padded[i, :, dy:dy + 6, dx:dx + 7], out[i])]
        assert len(matches) == 1
        offsets.add(matches[0])
    assert len(offsets) > 1  # images are not all cropped alike


def test_crop_keeps_uint8_and_rejects_bad_modes():
    x = torch.randint(0, 256, (4, 3, 8, 8), dtype=torch.uint8)
    assert augment.random_crop_with_padding(x, 2, _gen(), 'reflect').dtype == torch.uint8
    with pytest.raises(ValueError, match="'zeros' or 'reflect'"):
        augment.random_crop_with_padding(x, 2, _gen(), 'edge')
    with pytest.raises(ValueError, match='larger'):
        augment.random_crop_with_padding(x, 8, _gen(), 'reflect')


def test_random_resized_crop_equals_crop_then_bilinear_resize():
    x = torch.randint(0, 256, (12, 3, 20, 16), dtype=torch.uint8)
    boxes = augment.random_resized_crop_boxes(12, 20, 16, _gen(), device=torch.device('cpu'))
    out = augment.random_resized_crop(x, (10, 12), _gen())
    assert out.shape == (12, 3, 10, 12) and out.dtype == torch.float32
    for i, (top, left, h, w) in enumerate(boxes.tolist()):
        crop = x[i:i + 1, :, top:top + h, left:left + w].float()
        reference = F.interpolate(crop, size=(10, 12), mode='bilinear', align_corners=False)
        torch.testing.assert_close(out[i], reference[0], atol=1e-3, rtol=0)


def test_random_resized_crop_boxes_follow_scale_and_ratio():
    boxes = augment.random_resized_crop_boxes(2000, 32, 32, _gen(), scale=(0.5, 0.9),
                                              ratio=(0.8, 1.25), device=torch.device('cpu'))
    top, left, h, w = boxes.T
    assert (top >= 0).all() and (left >= 0).all()
    assert (top + h <= 32).all() and (left + w <= 32).all()
    area = (h * w).double() / 1024
    assert area.min() >= 0.45 and area.max() <= 0.95  # rounding to whole pixels
    aspect = w.double() / h
    assert aspect.min() >= 0.75 and aspect.max() <= 1.35
    assert len(set(map(tuple, boxes.tolist()))) > 100


def test_random_resized_crop_falls_back_to_the_central_crop():
    # No box with area fraction >= 1 and ratio 2 fits in a square image.
    boxes = augment.random_resized_crop_boxes(4, 10, 10, _gen(), scale=(1., 1.), ratio=(2., 2.),
                                              device=torch.device('cpu'))
    assert boxes.tolist() == [[2, 0, 5, 10]] * 4
    assert augment.central_crop_box(10, 30, (1., 1.)) == (0, 10, 10, 10)


def test_normalize_matches_the_formula():
    x = torch.randint(0, 256, (3, 2, 4, 4), dtype=torch.uint8)
    out = augment.normalize(x, [0.5, 0.25], [0.2, 0.4])
    reference = (x.double() / 255 - torch.tensor([0.5, 0.25])[:, None, None]) / \
        torch.tensor([0.2, 0.4])[:, None, None]
    torch.testing.assert_close(out, reference.float(), atol=1e-5, rtol=1e-5)
    source = x.float()
    augment.normalize(source, [0.5, 0.5], [1., 1.])
    assert torch.equal(source, x.float())  # a float input is not modified in place


def test_cutout_zeroes_one_square_per_image():
    x = torch.ones(64, 2, 10, 10)
    out = augment.cutout(x, 4, _gen())
    for image in out:
        rows = (image[0] == 0).any(1).nonzero().flatten()
        cols = (image[0] == 0).any(0).nonzero().flatten()
        assert 1 <= len(rows) <= 4 and 1 <= len(cols) <= 4
        assert (image[:, rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1] == 0).all()
        assert (image == 0).sum() == 2 * len(rows) * len(cols)
    assert (out == 0).flatten(1).sum(1).float().mean() > 20  # mostly whole squares


def _flipped(images, out):
    # Which images of ``out`` are mirrored copies of ``images``.
    return [not torch.equal(o, x) and torch.equal(o, x.flip(-1)) for x, o in zip(images, out)]


def test_alternating_flip_mirrors_complementary_halves_in_consecutive_epochs():
    x = _distinct_images(n=400)
    indices = torch.arange(400)
    flips = [_flipped(x, augment.alternating_flip_lr(x, augment.BatchPosition(indices, e, 5)))
             for e in range(3)]
    assert all(a != b for a, b in zip(flips[0], flips[1]))
    assert flips[2] == flips[0]
    assert 180 < sum(flips[0]) < 220
    # Another seed chooses another half; a batch's order does not matter.
    other = _flipped(x, augment.alternating_flip_lr(x, augment.BatchPosition(indices, 0, 6)))
    assert 100 < sum(a != b for a, b in zip(flips[0], other)) < 300
    order = torch.randperm(400, generator=_gen())
    shuffled = augment.alternating_flip_lr(x[order], augment.BatchPosition(order, 0, 5))
    assert _flipped(x[order], shuffled) == [flips[0][i] for i in order]


def test_device_loader_alternates_the_flip_across_epoch_ends():
    from chainvision.datasets import DeviceLoader
    images = _distinct_images(n=10, c=1, h=2, w=3).to(torch.uint8)
    loader = DeviceLoader(images, torch.zeros(10), 4, Augmentation.parse('altflip'),
                          shuffle=False, seed=3)
    # 3 batches per epoch, the last one (images 8, 9) ending each epoch.
    first, second = (torch.cat([loader.next()[0] for _ in range(3)]) for _ in range(2))
    torch.testing.assert_close(first, second.flip(-1))
    assert not torch.equal(first, second)


def test_alternating_flip_needs_the_batch_position():
    with pytest.raises(ValueError, match='alternating flip needs'):
        Augmentation(alternating_flip=True).geometric(_distinct_images(), _gen())


def test_augmentation_parse():
    aug = Augmentation.parse('crop4reflect, flip, rrc0.8-1.0:0.9-1.1, cutout8')
    assert (aug.crop_padding, aug.padding_mode, aug.flip, aug.cutout) == (4, 'reflect', True, 8)
    assert aug.resized_crop_scale == (0.8, 1.0) and aug.resized_crop_ratio == (0.9, 1.1)
    assert Augmentation.parse('none').flip is False
    airbench = Augmentation.parse('crop2reflect,altflip')
    assert (airbench.crop_padding, airbench.padding_mode, airbench.flip,
            airbench.alternating_flip) == (2, 'reflect', False, True)
    with pytest.raises(ValueError, match='unknown augmentation'):
        Augmentation.parse('rotate')


def test_same_seed_same_augmented_batch():
    x = torch.randint(0, 256, (32, 3, 16, 16), dtype=torch.uint8)
    aug = Augmentation(crop_padding=2, flip=True, resized_crop_scale=(0.5, 1.0), cutout=4)

    def run(seed):
        g = _gen(seed)
        return aug.after_normalize(aug.geometric(x, g), g)

    assert torch.equal(run(7), run(7))
    assert not torch.equal(run(7), run(8))
    numpy.testing.assert_array_equal(run(7).shape, (32, 3, 16, 16))


def _white_folder(root, n=4, size=8):
    from PIL import Image
    for i in range(n):
        label = root / 'ab'[i % 2]
        label.mkdir(exist_ok=True)
        Image.new('RGB', (size, size), (255, 255, 255)).save(label / '{}.png'.format(i))
    return str(root)


def test_both_loaders_normalise_then_cut_out(tmp_path):
    # White images, mean 0.2, std 0.5: a pixel is (1 - 0.2) / 0.5 = 1.6,
    # and a cutout square is 0 (the mean colour) only if it comes after
    # the normalisation, -0.4 if before.
    from chainvision.datasets import DeviceLoader, FolderLoader
    aug = Augmentation(crop_padding=1, flip=True, cutout=4)
    mean, std = [0.2] * 3, [0.5] * 3
    images = numpy.full((4, 3, 8, 8), 255, numpy.uint8)
    device_x, _ = DeviceLoader(images, numpy.zeros(4), 4, aug, mean=mean, std=std).next()
    folder_x, _ = FolderLoader(_white_folder(tmp_path), 4, image_size=8, augmentation=aug,
                               mean=mean, std=std, num_workers=0).next()
    for x in (device_x, folder_x):
        assert x.shape == (4, 3, 8, 8) and x.dtype == torch.float32
        values = set(numpy.unique(x.numpy().astype(numpy.float64).round(6)).tolist())
        # zero padding of the crop shows as -0.4
        assert values <= {0., 1.6, -0.4} and {0., 1.6} <= values
        assert ((x == 0).flatten(1).sum(1) > 0).all()  # every image has its square
