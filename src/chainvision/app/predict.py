"""Classifying image files with a checkpoint: the top-k classes with their
probabilities (what ``chainvision predict`` prints)."""

from typing import List, Sequence, Tuple

import torch

from chainvision import backend, datasets
from chainvision.app import checkpoint as checkpoint_module
from chainvision.app.data import pillow_mode
from chainvision.configuration import using_config
from chainvision.datasets.loader import augment


def load_images(paths: Sequence[str], image_shape: Sequence[int]) -> torch.Tensor:
    """Read image files as a uint8 ``(N, C, H, W)`` tensor of the model's
    input shape ``(C, H, W)``: converted to grey (C = 1) or RGB (C = 3)
    and fitted to its size as an image folder's training images are
    (:func:`chainvision.datasets.resize_and_center_crop`)."""
    channels, height, width = image_shape
    mode = pillow_mode(channels)
    return torch.stack([torch.tensor(datasets.resize_and_center_crop(
        datasets.read_image(path, mode), (height, width))) for path in paths])


def predict(checkpoint_path, paths: Sequence[str], top_k: int = 5,
            device: str = 'auto') -> List[List[Tuple[str, float]]]:
    """Return, per image, a list of ``(class name, probability)`` pairs,
    most probable first.

    Args:
        checkpoint_path: a run folder (its ``best.pt``) or a ``.pt`` file.
        paths: image files, normalised as the training images were.
        top_k: classes per image (at most the number of classes).
        device: a :func:`chainvision.backend.get_device` specifier.
    """
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
