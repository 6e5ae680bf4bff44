"""``chainvision show-augment``: a picture of images beside augmented
copies of them, to check an augmentation by eye.

    chainvision show-augment cifar10 --out grid.png --augment crop4,flip
"""

import os

import numpy
import torch

from chainvision import datasets
from chainvision.app import options


def _originals(source, split, count, size):
    """The first ``count`` images of a named dataset or an image folder, as
    uint8 ``(count, C, H, W)``, with their mean/std for normalisation."""
    if os.path.isdir(source):
        folder = datasets.image_folder(source, size=size)
        images = torch.from_numpy(numpy.stack([folder[i][0]
                                               for i in range(min(count, len(folder)))]))
        return images, datasets.compute_mean_std(images.numpy())
    images, _ = datasets.load_arrays(source, split)
    return torch.from_numpy(numpy.array(images[:count])), datasets.train_mean_std(source)


def augmented_grid(images, augmentation, mean, std, copies, seed=0):
    """Return a uint8 ``(rows, 1 + copies, C, H, W)`` array: each row is an
    original then ``copies`` augmented versions, made by the same
    :class:`DeviceLoader` pipeline as training (normalised, then mapped
    back to pixels for display; cutout shows as the mean colour)."""
    rows = len(images)
    repeated = images.repeat_interleave(copies, 0)
    loader = datasets.DeviceLoader(repeated, torch.zeros(len(repeated)), len(repeated),
                                   augmentation, mean=mean, std=std, shuffle=False, seed=seed)
    x, _ = loader.next()
    std = torch.as_tensor(std, dtype=x.dtype)[:, None, None]
    mean = torch.as_tensor(mean, dtype=x.dtype)[:, None, None]
    pixels = ((x * std + mean) * 255).round().clamp(0, 255).to(torch.uint8)
    pixels = pixels.reshape((rows, copies) + pixels.shape[1:])
    return torch.cat([images[:, None], pixels], 1).numpy()


def grid_image(cells, scale=3, gap=2):
    """Lay a ``(rows, cols, C, H, W)`` uint8 array out as one RGB Pillow
    image, each cell enlarged ``scale`` times (nearest neighbour), with a
    white ``gap`` and a wider one after the first column (the originals)."""
    from PIL import Image
    rows, cols, channels, h, w = cells.shape
    if channels == 1:
        cells = numpy.repeat(cells, 3, axis=2)
    cell_h, cell_w = h * scale, w * scale
    width = cols * (cell_w + gap) + 3 * gap
    canvas = numpy.full((rows * (cell_h + gap) + gap, width, 3), 255, numpy.uint8)
    for r in range(rows):
        for c in range(cols):
            cell = cells[r, c].transpose(1, 2, 0).repeat(scale, 0).repeat(scale, 1)
            top = gap + r * (cell_h + gap)
            left = gap + c * (cell_w + gap) + (3 * gap if c else 0)
            canvas[top:top + cell_h, left:left + cell_w] = cell
    return Image.fromarray(canvas)


def run(args):
    """Write the grid; returns the exit status."""
    augmentation = datasets.Augmentation.parse(args.augment)
    images, (mean, std) = _originals(args.dataset, args.split, args.images, args.size)
    cells = augmented_grid(images, augmentation, mean, std, args.copies, args.seed)
    grid_image(cells, args.scale).save(args.out)
    print('{}: {} originals (left column) with {} augmented copies each ({!r})'.format(
        args.out, len(images), args.copies, augmentation))
    return 0


def register(subparsers):
    """Add the ``show-augment`` sub-command."""
    parser = subparsers.add_parser(
        'show-augment', help='save a picture of images beside augmented copies',
        description='Save a PNG grid: each row is an image of DATASET followed by augmented '
                    'copies made by the training pipeline.')
    parser.add_argument('dataset', help='dataset name ({}) or an image folder'.format(
        ', '.join(datasets.list_datasets())))
    parser.add_argument('--out', required=True, help='PNG file to write')
    parser.add_argument('--augment', default='crop4,flip',
                        help='comma-separated: crop4, crop4reflect, flip, rrc0.8-1.0:0.9-1.1, '
                             'cutout16, none (default: crop4,flip)')
    parser.add_argument('--images', type=options.count_argument, default=8,
                        help='rows (default 8)')
    parser.add_argument('--copies', type=options.count_argument, default=6,
                        help='augmented copies per row (default 6)')
    parser.add_argument('--split', default='train', help='split of a named dataset (default train)')
    parser.add_argument('--size', type=options.count_argument, default=64,
                        help='side of images taken from a folder (default 64)')
    parser.add_argument('--scale', type=options.count_argument, default=3,
                        help='enlargement factor (default 3)')
    parser.add_argument('--seed', type=int, default=0, help='random seed (default 0)')
    parser.set_defaults(func=run)
