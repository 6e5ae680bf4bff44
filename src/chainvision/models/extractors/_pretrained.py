"""What the pre-trained feature extractors share: Chainer's image
preparation and 10-crop oversampling, and :class:`PretrainedLayers`, the ``forward(x, layers)`` /
``extract`` / ``predict`` API of Chainer's ``VGG16Layers``,
``ResNet50Layers`` and ``GoogLeNet`` with loading from Chainer's npz files,
Caffe's ``.caffemodel`` files and torchvision's ``.pth`` files (read and
assigned by :mod:`chainvision.models.weights`).

Where ``'auto'`` looks, in this order:

1. the converted ``.npz`` (``VGG_ILSVRC_16_layers.npz``,
   ``ResNet-50-model.npz``, ``bvlc_googlenet.npz``...) in
   ``$CHAINVISION_MODEL_ROOT`` (default ``~/.cache/chainvision/models``),
   then in Chainer's own folder ``$CHAINER_DATASET_ROOT/pfnet/chainer/models``
   (default ``~/.chainer/dataset/pfnet/chainer/models``), so the files a
   Chainer installation already has are used as they are;
2. the original ``.caffemodel`` in the same two folders, converted once: the
   ``.npz`` is written to ``$CHAINVISION_MODEL_ROOT`` and read from then on
   (as Chainer caches its conversions).

Nothing is ever downloaded: a missing file is a ``FileNotFoundError`` that
names the file, its official address and the folder to put it in.

A model loaded from torchvision's weights computes torchvision's network
(its input normalization, and for ResNets its BatchNorm eps and stem
pooling); ``save_npz`` then writes the weights alone, so load such a file
back from the ``.pth``, not from the npz.
"""

import os

import numpy
import torch

from chainvision.backend import as_tensor
from chainvision.configuration import config, no_backprop_mode, using_config
from chainvision.models.weights import (
    assign_arrays, get_chainer_model_root, get_model_root, read_caffemodel, weight_format)
from chainvision.serializers import load_torch_file, npz
from chainvision.utils import argument

# torchvision's ImageNet models take RGB in [0, 1] normalized with these.
TORCHVISION_MEAN_RGB = (0.485, 0.456, 0.406)
TORCHVISION_STD_RGB = (0.229, 0.224, 0.225)


def prepare_image(image, size, mean_bgr):
    """Chainer's preprocessing for its Caffe-trained models: RGB image ->
    resized, BGR, mean-subtracted ``(3, H, W)`` array of ``config.dtype``
    (float32).

    Args:
        image (PIL.Image.Image or numpy.ndarray): an RGB image; an array is
            ``(H, W)``, ``(H, W, C)``, ``(1, H, W)`` or ``(3, H, W)`` and is
            cast to uint8 first (values outside 0-255 wrap, as in Chainer).
        size (pair of int or None): ``(width, height)`` to resize to with
            Pillow's default filter (bicubic since Pillow 7), as PIL's
            ``Image.resize`` takes it; ``None`` keeps the size.
        mean_bgr (sequence of 3 floats): the per-channel mean subtracted
            after the RGB -> BGR swap.
    """
    from PIL import Image
    if isinstance(image, numpy.ndarray):
        if image.ndim == 3 and image.shape[0] == 1:
            image = image[0]
        elif image.ndim == 3 and image.shape[0] == 3:
            image = image.transpose(1, 2, 0)
        image = Image.fromarray(image.astype(numpy.uint8))
    image = image.convert('RGB')
    if size:
        image = image.resize(tuple(size))
    array = numpy.asarray(image, dtype=config.dtype)[:, :, ::-1]
    array = array - numpy.asarray(mean_bgr, dtype=config.dtype)
    return numpy.ascontiguousarray(array.transpose(2, 0, 1))


def oversample_crops(images, crop_size):
    """Chainer's 10-crop oversampling: for each image of ``images``
    ``(N, C, H, W)``, the four corner crops and the center crop of
    ``crop_size`` ``(h, w)``, then the same five mirrored left-right.
    Returns ``(10 N, C, h, w)``, each image's crops together."""
    _, _, height, width = images.shape
    h, w = crop_size
    corners = [(0, 0), (0, width - w), (height - h, 0), (height - h, width - w),
               (int(height / 2.0 - h / 2.0), int(width / 2.0 - w / 2.0))]
    crops = numpy.stack([images[:, :, y:y + h, x:x + w] for y, x in corners], axis=1)
    crops = numpy.concatenate([crops, crops[..., ::-1]], axis=1)
    return crops.reshape((-1,) + crops.shape[2:])


def torchvision_input(x, mean_bgr):
    """Map Chainer-prepared input (BGR minus ``mean_bgr``, 0-255) to what
    torchvision's ImageNet weights take (RGB in [0, 1] normalized by
    :data:`TORCHVISION_MEAN_RGB` and :data:`TORCHVISION_STD_RGB`): a
    per-pixel affine map, so the result is exact everywhere, borders
    included."""
    rgb = torch.flip(x, dims=(1,)) + x.new_tensor(mean_bgr[::-1]).view(1, 3, 1, 1)
    mean = x.new_tensor(TORCHVISION_MEAN_RGB).view(1, 3, 1, 1)
    std = x.new_tensor(TORCHVISION_STD_RGB).view(1, 3, 1, 1)
    return (rgb / 255 - mean) / std


class PretrainedLayers:
    """Mixin giving a zoo network Chainer's pre-trained-model API.

    A subclass is also a zoo network (``VGG``, ``ResNet``, ``GoogLeNet``)
    and defines:

    - ``functions``: ``OrderedDict`` layer name -> list of callables applied
      in turn (Chainer's table);
    - ``branch_inputs``: ``{layer: earlier layer}`` for a layer computed
      from an earlier layer's output instead of the previous one (GoogLeNet's
      auxiliary classifiers);
    - ``MEAN_BGR``, ``AUTO_FILES`` (npz name, caffemodel name, download
      address);
    - ``caffe_arrays(layers)`` and ``torchvision_arrays(state_dict)``, each
      returning ``{npz key: array}``, and ``use_torchvision_convention()``,
      which makes the network compute what torchvision's does.
    """

    branch_inputs = {}
    input_transform = None

    @property
    def available_layers(self):
        """Names ``forward`` and ``extract`` accept, in computation order."""
        return list(self.functions)

    def forward(self, x, layers=None, **kwargs):
        """forward(x, layers=['prob'])

        Compute the activations named in ``layers`` for the prepared images
        ``x`` ``(N, 3, 224, 224)`` (float32, from ``prepare``); returns a
        ``dict`` layer name -> tensor.  Stops after the last requested layer.

        Unlike Chainer, an unknown layer name is an error (Chainer silently
        leaves it out of the result).
        """
        argument.check_unexpected_kwargs(
            kwargs, test='test argument is not supported anymore. Use chainer.using_config',
            train='train argument is not supported anymore. Use chainer.using_config')
        argument.assert_kwargs_empty(kwargs)
        layers = ['prob'] if layers is None else list(layers)
        table = self.functions
        unknown = [name for name in layers if name not in table]
        if unknown:
            raise ValueError('Unknown layer(s) {} for {}; available: {}.'.format(
                ', '.join(map(repr, unknown)), type(self).__name__, ', '.join(table)))
        h = as_tensor(x, like=next(self.parameters()))
        if self.input_transform is not None:
            h = self.input_transform(h)
        kept_for = set(self.branch_inputs.values())
        kept, targets, activations = {}, set(layers), {}
        for name, funcs in table.items():
            if not targets:
                break
            if name in self.branch_inputs:
                h = kept[self.branch_inputs[name]]
            for func in funcs:
                h = func(h)
            if name in kept_for:
                kept[name] = h
            if name in targets:
                activations[name] = h
                targets.discard(name)
        return activations

    def prepare(self, image, size=(224, 224)):
        """This model's ``prepare`` (see :func:`prepare_image`) with its
        Caffe mean ``MEAN_BGR``."""
        return prepare_image(image, size, self.MEAN_BGR)

    def extract(self, images, layers=None, size=(224, 224), **kwargs):
        """extract(images, layers=['pool5'], size=(224, 224))

        ``forward`` on ``images`` (an iterable of PIL images or RGB arrays),
        each prepared with ``prepare(image, size)`` (``size=None``: not
        resized, all must then have the same size).  Like Chainer, this
        keeps the current ``config.train`` and ``enable_backprop``: wrap it
        in ``using_config('train', False)`` for inference features.
        """
        argument.check_unexpected_kwargs(
            kwargs, test='test argument is not supported anymore. Use chainer.using_config',
            volatile='volatile argument is not supported anymore. Use chainer.using_config')
        argument.assert_kwargs_empty(kwargs)
        x = numpy.stack([self.prepare(image, size) for image in images])
        return self(x, layers=['pool5'] if layers is None else layers)

    def predict(self, images, oversample=True):
        """Class probabilities ``(N, 1000)`` of ``images`` (PIL images or RGB
        arrays): each prepared at 256x256, then averaged over Chainer's 10
        crops of 224x224 (``oversample=True``) or the center crop alone.
        Runs in inference mode without recording gradients."""
        x = numpy.stack([self.prepare(image, (256, 256)) for image in images])
        x = oversample_crops(x, (224, 224)) if oversample else x[:, :, 16:240, 16:240]
        with no_backprop_mode(), using_config('train', False):
            y = self(x, layers=['prob'])['prob']
        return y.view((-1, 10) + tuple(y.shape[1:])).mean(dim=1) if oversample else y

    # -- loading -------------------------------------------------------------

    def load_pretrained(self, pretrained_model):
        """Load weights from ``pretrained_model``: ``'auto'`` (see the module
        docstring), a ``.caffemodel``, a torchvision ``.pth``/``.pt``
        state_dict (read with ``weights_only=True``), or anything else as a
        Chainer npz file (read with ``allow_pickle=False``); ``None`` or
        ``''`` loads nothing."""
        if not pretrained_model:
            return
        if next(self.parameters()).is_meta:
            self.to_empty(device='cpu')
        path, cache = (self._auto_path() if pretrained_model == 'auto'
                       else (os.fspath(pretrained_model), None))
        kind = weight_format(path)
        if kind == 'caffe':
            self.load_caffemodel(path)
        elif kind == 'torchvision':
            state_dict = load_torch_file(path, 'a torchvision state_dict')
            arrays = self.torchvision_arrays(state_dict)
            self.use_torchvision_convention()
            assign_arrays(self, arrays, path)
        else:
            npz.load_npz(path, self)
        if cache:
            npz.save_npz(cache, self, compression=False)

    @classmethod
    def convert_caffemodel_to_npz(cls, path_caffemodel, path_npz):
        """Convert the ``.caffemodel`` to Chainer's npz file ``path_npz``
        (as Chainer's method of the same name)."""
        convert_caffemodel(cls(pretrained_model=None), path_caffemodel, path_npz)

    def load_caffemodel(self, path):
        """Load the weights of the Caffe model file ``path``."""
        assign_arrays(self, self.caffe_arrays(read_caffemodel(path)), path)

    def _auto_path(self):
        npz_name, caffe_name, url = self.AUTO_FILES
        root, chainer_root = get_model_root(), get_chainer_model_root()
        for folder in (root, chainer_root):
            if os.path.isfile(os.path.join(folder, npz_name)):
                return os.path.join(folder, npz_name), None
        for folder in (root, chainer_root):
            if os.path.isfile(os.path.join(folder, caffe_name)):
                # Converted once; the npz is read from then on.
                return os.path.join(folder, caffe_name), os.path.join(root, npz_name)
        raise FileNotFoundError(
            "{}(pretrained_model='auto') needs {} (or Chainer's converted {}); looked in {} and "
            '{}. Download it from {} and put it in {} (set $CHAINVISION_MODEL_ROOT to use another '
            'folder), or pass pretrained_model=<path to an .npz, .caffemodel or torchvision '
            '.pth file>, or None for random weights.'.format(
                type(self).__name__, caffe_name, npz_name, root, chainer_root, url, root))


def convert_caffemodel(model, path_caffemodel, path_npz):
    """Load ``path_caffemodel`` into ``model`` (built with
    ``pretrained_model=None``) and save it to ``path_npz`` in Chainer's
    layout, uncompressed as Chainer writes it."""
    model.load_caffemodel(path_caffemodel)
    npz.save_npz(path_npz, model, compression=False)
