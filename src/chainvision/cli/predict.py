"""``chainvision predict CHECKPOINT IMAGE...``: the top-k classes of image
files, with their probabilities."""

import torch

from chainvision.cli.eval import add_checkpoint_argument
from chainvision import backend
from chainvision.app import checkpoint as checkpoint_module


def register(subparsers):
    """Add the ``predict`` sub-command."""
    parser = subparsers.add_parser(
        'predict', help='classify image files with a checkpoint (top-k with probabilities)',
        description=__doc__.split('\n\n')[0])
    add_checkpoint_argument(parser)
    parser.add_argument('images', nargs='+', metavar='IMAGE', help='image files')
    parser.add_argument('--top-k', type=int, default=5, help='classes to show (default 5)')
    parser.add_argument('--device', default='auto', help='auto, cpu, cuda, cuda:N')
    parser.set_defaults(func=run)


def load_images(paths, image_shape):
    """Read image files as a uint8 ``(N, C, H, W)`` tensor of the model's
    input shape ``(C, H, W)``: converted to grey (C = 1) or RGB (C = 3) and
    resized (bilinear) when their size differs."""
    from PIL import Image
    from chainvision.datasets._image_io import read_image
    channels, height, width = image_shape
    mode = {1: 'L', 3: 'RGB'}.get(channels)
    if mode is None:
        raise ValueError('predict reads 1- or 3-channel images; the model takes {}.'.format(
            channels))
    arrays = []
    for path in paths:
        array = read_image(path, mode)
        if array.shape[1:] != (height, width):
            picture = Image.fromarray(array.transpose(1, 2, 0).squeeze(2) if channels == 1
                                      else array.transpose(1, 2, 0))
            resized = picture.resize((width, height), Image.BILINEAR)
            array = _chw(resized)
        arrays.append(torch.tensor(array))
    return torch.stack(arrays)


def _chw(picture):
    import numpy
    array = numpy.asarray(picture)
    if array.ndim == 2:
        array = array[:, :, None]
    return numpy.ascontiguousarray(array.transpose(2, 0, 1))


def predict(checkpoint_path, paths, top_k=5, device='auto'):
    """Return, per image, a list of ``(class name, probability)`` pairs,
    most probable first."""
    from chainvision.configuration import using_config
    from chainvision.datasets.loader import augment
    checkpoint = checkpoint_module.load_checkpoint(checkpoint_path)
    device = backend.get_device(device).check_available().torch_device
    model = checkpoint_module.model_from_checkpoint(checkpoint).to(device)
    images = load_images(paths, checkpoint['image_shape']).to(device)
    mean = checkpoint['mean'] if checkpoint['mean'] is not None else [0.] * images.shape[1]
    std = checkpoint['std'] if checkpoint['std'] is not None else [1.] * images.shape[1]
    x = augment.normalize(images, mean, std)
    with torch.no_grad(), using_config('train', False):
        probabilities = torch.softmax(model(x).float(), dim=1).cpu()
    k = min(top_k, probabilities.shape[1])
    values, indices = probabilities.topk(k, dim=1)
    names = checkpoint['class_names']
    return [[(names[i], float(p)) for p, i in zip(row_values, row_indices.tolist())]
            for row_values, row_indices in zip(values.tolist(), indices)]


def run(args):
    """Print each image's top-k classes."""
    for path, ranking in zip(args.images, predict(args.checkpoint, args.images, args.top_k,
                                                  args.device)):
        print(path)
        for name, probability in ranking:
            print('  {:>7.2%}  {}'.format(probability, name))
    return 0
