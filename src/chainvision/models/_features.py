"""A zoo network as a backbone: its per-stage feature maps, timm's
``features_only``.

>>> import torch
>>> from chainvision import models
>>> body = models.create('resnet20', features_only=True)
>>> [tuple(m.shape) for m in body(torch.zeros(1, 3, 32, 32))]
[(1, 16, 32, 32), (1, 32, 16, 16), (1, 64, 8, 8)]
>>> [(f.channels, f.stride) for f in body.info()]
[(16, 1), (32, 2), (64, 4)]
"""

import torch

from chainvision.link import Chain
from chainvision.models._base import FeatureInfo, ImageClassifier


class FeatureExtractor(Chain):
    """The body of a zoo network: ``forward(x)`` returns the list of its
    stages' feature maps.

    Args:
        model (~chainvision.models.ImageClassifier): the network; its head
            links (``model.head_links``: the classifier, VGG's fully
            connected layers, GoogLeNet's auxiliary classifiers) are removed,
            so they take no memory and no optimizer sees them.

    The network stays the child ``model``: parameters are
    ``model.res2...`` (``/model/res2/...`` in npz files).
    """

    def __init__(self, model: ImageClassifier) -> None:
        super().__init__()
        for name in model.head_links:
            delattr(model, name)
        with self.init_scope():
            self.model = model

    def info(self) -> list[FeatureInfo]:
        """The :class:`~chainvision.models.FeatureInfo` of each map
        ``forward`` returns: ``name``, ``channels``, ``stride``."""
        return list(self.model.feature_info)

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        """Feature maps of images ``x`` ``(N, C, H, W)``: a list with one
        ``(N, channels, H / stride, W / stride)`` tensor per stage."""
        return list(self.model.forward_stages(x))
