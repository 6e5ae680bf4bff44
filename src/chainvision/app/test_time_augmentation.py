"""Test-time augmentation: a classifier's logits averaged over mirrored and
shifted views of each image (airbench94's ``infer``, K. Jordan,
arXiv:2404.00498; the views are those of its ``tta_level`` 1 and 2)."""

from typing import Tuple

import torch

from chainvision import functions as F
from chainvision.link import Chain

# The ``tta`` option's choices (``'none'``: the plain predictor).
VIEWS: Tuple[str, ...] = ('none', 'flip', 'flip-shift')


def _mirrored_mean(predictor, x):
    return 0.5 * (predictor(x) + predictor(x.flip(-1)))


class TestTimeAugmentation(Chain):
    """``predictor`` with its logits averaged over views of each image.

    ``views='flip'``: the image and its mirror image, weighted 1/2 each.
    ``views='flip-shift'``: half of the weight on those two, half on the
    image shifted by one pixel up-left and by one pixel down-right
    (reflect-padded), each also mirrored: six views, the shifted ones
    weighted 1/8 each.  Training uses 2-pixel translations, so the
    shifted views are views the network has learnt.

    Args:
        predictor (torch.nn.Module): images ``(N, C, H, W)`` -> logits.
        views (str): ``'flip'`` or ``'flip-shift'``.

    Forward: ``(N, C, H, W)`` -> logits ``(N, K)``, 2 or 6 passes of
    ``predictor``.  A predictor whose output does not change when its input
    is mirrored gives the same logits with ``'flip'`` as without.
    """

    __test__ = False     # not a pytest class, whatever its name

    def __init__(self, predictor: torch.nn.Module, views: str = 'flip-shift'):
        super().__init__()
        if views not in VIEWS[1:]:
            raise ValueError("views must be 'flip' or 'flip-shift', got {!r}.".format(views))
        self.views = views
        with self.init_scope():
            self.predictor = predictor

    def forward(self, x):
        logits = _mirrored_mean(self.predictor, x)
        if self.views == 'flip':
            return logits
        h, w = x.shape[-2:]
        padded = F.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), 'reflect')
        shifted = [_mirrored_mean(self.predictor, padded[:, :, top:top + h, left:left + w])
                   for top, left in ((0, 0), (2, 2))]
        return 0.5 * logits + 0.25 * (shifted[0] + shifted[1])


def with_test_time_augmentation(predictor: torch.nn.Module, views: str) -> torch.nn.Module:
    """``predictor`` itself for ``views='none'``, else wrapped in
    :class:`TestTimeAugmentation`."""
    return predictor if views == 'none' else TestTimeAugmentation(predictor, views)
