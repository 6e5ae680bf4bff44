"""Classifying image files with a checkpoint: the top-k classes with their
probabilities (what ``chainvision predict`` prints), by the checkpoint's
:class:`~chainvision.app.inference.InferenceModel`."""

from typing import List, Sequence, Tuple

import torch

from chainvision import backend, datasets
from chainvision.app.data import pillow_mode
from chainvision.app.host_memory import keep_freed_host_memory
from chainvision.app.inference import load


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
            device: str = 'auto', precision: str = 'auto') -> List[List[Tuple[str, float]]]:
    """Return, per image, a list of ``(class name, probability)`` pairs,
    most probable first.

    Args:
        checkpoint_path: a run folder (its ``best`` checkpoint) or a
            checkpoint file (:func:`chainvision.load`).
        paths: image files, fitted to the model's input size as the
            training images were (:func:`load_images`) and normalised by
            :meth:`InferenceModel.predict <chainvision.app.inference.InferenceModel.predict>`.
        top_k: classes per image (at most the number of classes).
        device: a :func:`chainvision.backend.get_device` specifier.
        precision: of the network's fast inference form, one of
            :data:`chainvision.models.PRECISIONS` (default ``'auto'``: bf16
            where the device computes it natively, else fp32).

    The process keeps its freed host memory from then on, as in ``fit``
    (:mod:`chainvision.app.host_memory`).
    """
    keep_freed_host_memory()
    model = load(checkpoint_path).to(backend.get_device(device).check_available().torch_device)
    return model.top_k(load_images(paths, model.input_shape), top_k, precision)
