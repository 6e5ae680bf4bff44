"""A trained network ready for inference: its input normalisation, the
network and the softmax in one module, with the class names and the input
size it was trained at.

>>> model = chainvision.load('runs/r20')             # doctest: +SKIP
>>> model.predict(uint8_images)        # (N, C, H, W) uint8: raw pixels  # doctest: +SKIP
>>> model.predict([PIL.Image.open('cat.png')])        # doctest: +SKIP
>>> model.predict(normalised_images)   # float: already normalised  # doctest: +SKIP

This is what :func:`chainvision.load` returns and what
:func:`chainvision.export` writes out: ``forward`` takes raw pixels
(float32 in 0-255, or uint8), so the exported graph carries the
normalisation with it.
"""

from typing import Optional, Sequence

import numpy
import torch

from chainvision import models
from chainvision.backend import as_tensor
from chainvision.datasets.loader.augment import normalization_constants
from chainvision.app.weight_files import pretrained_settings, read_network
from chainvision.link import Chain, Link


class Normalization(Link):
    """``(pixels / 255 - mean) / std``, computed as ``pixels * scale -
    shift`` with the constants of
    :func:`~chainvision.datasets.loader.augment.normalization_constants`,
    so it gives bit for bit what the training loader gave.

    Args:
        mean, std: in [0, 1] units; ``C`` floats, or ``(C, H, W)`` arrays
            for a per-pixel mean; ``None`` for 0 and 1 (pixels / 255).
        channels: ``C``, used when ``mean`` and ``std`` are ``None``.
    """

    def __init__(self, mean=None, std=None, channels=3):
        super().__init__()
        if mean is None:
            mean = (0.,) * channels
        if std is None:
            std = (1.,) * len(mean)
        scale, shift = normalization_constants(mean, std)
        self.register_buffer('scale', scale)
        self.register_buffer('shift', shift)

    def forward(self, pixels):
        """Normalised float32 images from raw ``pixels`` ``(N, C, H, W)``
        (uint8, or float in 0-255)."""
        return pixels.to(torch.float32) * self.scale - self.shift


class InferenceModel(Chain):
    """A network with its input normalisation: raw pixels in,
    probabilities out.

    Args:
        network (torch.nn.Module): maps normalised images ``(N, C, H, W)``
            to logits ``(N, K)`` (a zoo model, or any module).
        mean, std: the normalisation of its training data, see
            :class:`Normalization` (``None``: pixels / 255).
        class_names (sequence of str): the ``K`` class names (default
            ``'0'``, ``'1'``...).
        input_shape (tuple): ``(C, H, W)`` it was trained at; images of
            another size are resized to it by :meth:`predict`.

    For a zoo network loaded with published weights
    (``models.create(name, pretrained=...)``) what is not given comes from
    its weights (:func:`~chainvision.app.weight_files.pretrained_settings`):
    their normalisation and input size, and ImageNet's class names, so
    predictions print names.

    Links: ``normalization``, ``network``.  ``forward`` and ``logits`` run
    in whatever mode the module is in; :meth:`predict` always infers.
    """

    def __init__(self, network, mean=None, std=None, class_names=None,
                 input_shape: Optional[Sequence[int]] = None):
        super().__init__()
        settings = pretrained_settings(network)
        if mean is None and std is None:
            mean, std = settings.get('mean'), settings.get('std')
        class_names = settings.get('class_names') if class_names is None else class_names
        input_shape = input_shape or settings.get('input_shape')
        channels = input_shape[0] if input_shape else getattr(network, 'in_channels', 3)
        with self.init_scope():
            self.normalization = Normalization(mean, std, channels)
            self.network = network
        self.mean, self.std = mean, std
        self.input_shape = tuple(input_shape) if input_shape else None
        self.class_names = list(class_names) if class_names is not None else None

    def logits(self, pixels):
        """Logits ``(N, K)`` of raw ``pixels`` ``(N, C, H, W)`` (uint8, or
        float in 0-255)."""
        return self.network(self.normalization(pixels))

    def forward(self, pixels):
        """Class probabilities ``(N, K)`` of raw ``pixels`` ``(N, C, H, W)``
        (uint8, or float in 0-255); each row sums to 1."""
        return torch.softmax(self.logits(pixels), dim=1)

    def predict(self, images, precision='auto'):
        """Class probabilities ``(N, K)`` (float32, on the model's device),
        in inference mode and without gradients, computed by the network's
        fast inference form (:func:`chainvision.models.infer`; ``precision``
        one of :data:`chainvision.models.PRECISIONS`, default ``'auto'``:
        bf16 where the device computes it natively, else ``'fp32'``).

        The one rule for what ``images`` are:

        - PIL images (one or a list) and uint8 arrays or tensors
          ``(N, C, H, W)`` are raw pixels: resized to ``input_shape``
          (bilinear) when their size differs, then normalised;
        - float arrays or tensors ``(N, C, H, W)`` are taken as already
          normalised and go to the network as they are.
        """
        parameter = next(self.parameters())
        if _is_float(images):
            x = as_tensor(images).to(parameter.device, parameter.dtype)
        else:
            with torch.no_grad():
                x = self.normalization(self.raw_pixels(images).to(parameter.device))
        return torch.softmax(models.infer(self.network, x, precision), dim=1)

    def raw_pixels(self, images):
        """uint8 ``(N, C, H, W)`` of ``images`` (PIL images, or uint8
        arrays or tensors), converted to the model's channels and resized
        to its ``input_shape`` where they differ."""
        if _is_pil(images):
            images = [images]
        if isinstance(images, (list, tuple)) and images and _is_pil(images[0]):
            return torch.stack([torch.from_numpy(self._fit_picture(image)) for image in images])
        pixels = as_tensor(images)
        if pixels.dtype != torch.uint8 or pixels.ndim != 4:
            raise TypeError('predict takes PIL images, uint8 (N, C, H, W) raw pixels or float '
                            '(N, C, H, W) normalised images; got {} {}.'.format(
                                pixels.dtype, tuple(pixels.shape)))
        if self.input_shape is None or tuple(pixels.shape[1:]) == self.input_shape:
            return pixels
        return torch.stack([torch.from_numpy(self._fit_picture(_picture(image)))
                            for image in pixels.cpu().numpy()])

    def _fit_picture(self, picture):
        from PIL import Image
        channels = self.input_shape[0] if self.input_shape else 3
        picture = picture.convert({1: 'L', 3: 'RGB'}[channels])
        if self.input_shape is not None and picture.size != self.input_shape[:0:-1]:
            picture = picture.resize(self.input_shape[:0:-1], Image.BILINEAR)
        array = numpy.asarray(picture)
        array = array[:, :, None] if array.ndim == 2 else array
        return numpy.ascontiguousarray(array.transpose(2, 0, 1))

    def top_k(self, images, k=5, precision='auto'):
        """Per image, the ``k`` most probable ``(class name, probability)``
        pairs, most probable first (``images`` and ``precision`` as
        :meth:`predict` takes them)."""
        probabilities = self.predict(images, precision).cpu()
        names = self.class_names or [str(i) for i in range(probabilities.shape[1])]
        values, indices = probabilities.topk(min(k, probabilities.shape[1]), dim=1)
        return [[(names[i], float(p)) for p, i in zip(row_values, row_indices)]
                for row_values, row_indices in zip(values.tolist(), indices.tolist())]


def _is_pil(image):
    try:
        from PIL import Image
    except ImportError:
        return False
    return isinstance(image, Image.Image)


def _is_float(images):
    if isinstance(images, torch.Tensor):
        return images.is_floating_point()
    return isinstance(images, numpy.ndarray) and numpy.issubdtype(images.dtype, numpy.floating)


def _picture(chw):
    from PIL import Image
    return Image.fromarray(chw[0] if chw.shape[0] == 1 else chw.transpose(1, 2, 0))


def load(path, model: Optional[str] = None, **model_kwargs) -> InferenceModel:
    """A trained model ready for inference, with its class names and
    input normalisation.

    Args:
        path: a run folder (its ``best`` checkpoint), a checkpoint (``.pt``,
            ``.safetensors`` or ``.npz``, see
            :mod:`~chainvision.app.checkpoint`), or another weight file of
            the zoo network ``model`` (torchvision's or timm's state dict,
            a Caffe model, Chainer's npz: see
            :mod:`~chainvision.app.weight_files`).
        model: the zoo model a file other than a checkpoint holds; built
            with ``model_kwargs`` (``num_classes``...).

    Returns:
        :class:`InferenceModel` on the CPU in inference mode.  Published
        weights bring their normalisation and ImageNet's class names; any
        other file that is not a checkpoint normalises as pixels / 255 and
        names classes ``'0'``...

    Raises:
        FileNotFoundError: no such file or run folder.
        ValueError: a file without ``model`` that needs one, or a file that
            does not fit the model (the message names it).
    """
    network, description = read_network(path, model, **model_kwargs)
    return InferenceModel(network, description['mean'], description['std'],
                          description['class_names'], description['image_shape']).eval()
