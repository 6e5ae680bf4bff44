"""Data-dependent initialisation of a patch-whitening convolution (the first
layer of ``speedrun_cifar``): its filters decorrelate the training images'
patches and scale every direction to unit variance.

Source: airbench94's ``init_whiten`` (K. Jordan, arXiv:2404.00498), after
hlb-CIFAR10 (tysam-code).
"""

import torch

from chainvision.datasets.loader import augment
from chainvision.link import Link


def image_patches(images: torch.Tensor, patch_size: int) -> torch.Tensor:
    """Every ``patch_size x patch_size`` patch (stride 1) of every image, as
    rows: float32 ``(N * (H - k + 1) * (W - k + 1), C * k * k)``, each row in
    the layout of a convolution filter ``(C, k, k)``."""
    n, c = images.shape[:2]
    k = patch_size
    patches = images.float().unfold(2, k, 1).unfold(3, k, 1)      # N, C, H', W', k, k
    return patches.permute(0, 2, 3, 1, 4, 5).reshape(-1, c * k * k)


def patch_whitening_filters(images: torch.Tensor, patch_size: int = 2,
                            eps: float = 5e-4) -> torch.Tensor:
    """Filters that whiten the ``patch_size`` patches of ``images``.

    With ``S = E[p p^T]`` the (uncentred: the images are already normalised
    to mean about 0) second moment of the patches ``p`` and ``S = V diag(l)
    V^T`` its eigendecomposition, filter ``i`` is ``v_i / sqrt(l_i + eps)``,
    so the responses ``W p`` have second moment ``diag(l / (l + eps))``: the
    identity, up to ``eps`` in the directions of tiny variance.  The filters
    come in order of decreasing eigenvalue, followed by their negations (a
    GELU after the layer then keeps both signs of every direction).

    Args:
        images (torch.Tensor): normalised float ``(N, C, H, W)``.
        patch_size (int): ``k``.
        eps (float): added to the eigenvalues (airbench's 5e-4).

    Returns:
        torch.Tensor: float32 ``(2 * C * k * k, C, k, k)`` on ``images``' device.
    """
    # Accumulated in float64, 256 images at a time: in float32 the sum over
    # millions of patches loses the fourth decimal.
    moment, count = 0., 0
    for chunk in images.split(256):
        patches = image_patches(chunk, patch_size).double()
        moment, count = moment + patches.T @ patches, count + len(patches)
    moment = moment / count
    eigenvalues, eigenvectors = torch.linalg.eigh(moment)
    order = eigenvalues.argsort(descending=True)
    filters = eigenvectors.T[order] / torch.sqrt(eigenvalues[order, None] + eps)
    filters = filters.float().reshape(-1, images.shape[1], patch_size, patch_size)
    return torch.cat([filters, -filters])


@torch.no_grad()
def init_patch_whitening(conv: Link, images: torch.Tensor, eps: float = 5e-4) -> None:
    """Set ``conv.W`` (``(2 * C * k * k, C, k, k)``, e.g.
    ``speedrun_cifar``'s ``whiten``) to :func:`patch_whitening_filters` of
    ``images`` (normalised float ``(N, C, H, W)`` on ``conv``'s device)."""
    expected = (2 * images.shape[1] * conv.W.shape[-1] ** 2, images.shape[1])
    if tuple(conv.W.shape[:2]) != expected or conv.W.shape[-1] != conv.W.shape[-2]:
        raise ValueError('A whitening convolution for {}-channel images has W of shape '
                         '(2 C k k, C, k, k) = {} x {} x k x k; got {}.'.format(
                             images.shape[1], *expected, tuple(conv.W.shape)))
    conv.W.copy_(patch_whitening_filters(images, conv.W.shape[-1], eps))


def init_from_training_images(predictor: torch.nn.Module, loader, count: int) -> None:
    """Set ``predictor.whiten`` from the first ``count`` training images of
    ``loader`` (a ``DeviceLoader``), normalised as the loader normalises
    them (airbench94 uses 5,000)."""
    conv = getattr(predictor, 'whiten', None)
    if conv is None:
        raise ValueError('patch_whitening needs a model whose first layer is a whitening '
                         'convolution called whiten (e.g. speedrun_cifar); {} has none.'.format(
                             type(predictor).__name__))
    images = augment.normalize(loader.images[:count], loader.mean, loader.std)
    init_patch_whitening(conv, images)
