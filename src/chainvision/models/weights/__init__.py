"""Pre-trained weight files: where they are found, reading each format
(Chainer's npz through :mod:`chainvision.serializers`, Caffe's
``.caffemodel``, torchvision's ``state_dict``) and copying the arrays into a
network with every key and size checked.

Used by the feature extractors in :mod:`chainvision.models.extractors`; the
functions take any :class:`~chainvision.Chain`, so they serve any zoo
network.
"""

from chainvision.models.weights.caffemodel import caffe_batch_norm, read_caffemodel  # noqa: F401
from chainvision.models.weights.files import (  # noqa: F401
    DEFAULT_MODEL_ROOT, get_chainer_model_root, get_model_root, weight_format)
from chainvision.models.weights.loading import (  # noqa: F401
    assign_arrays, model_arrays, on_meta_device_if, rename_state_dict)
from chainvision.models.weights.tags import (  # noqa: F401
    PRETRAINED, PretrainedConfig, imagenet_class_names, pretrained_config, pretrained_tags)
