"""The sampling grid of a spatial transformer (Jaderberg et al. 2015, arXiv 1506.02025)."""

import torch

from chainvision.backend import as_tensor


def spatial_transformer_grid(theta, output_shape):
    """Where each output pixel samples the input: the affine maps ``theta``
    applied to the output's pixel coordinates, normalized to ``[-1, 1]``
    (corner pixels at exactly -1 and 1).

    Args:
        theta: affine parameters of shape ``(B, 2, 3)``.
        output_shape (pair of int): the output ``(H, W)``.

    Returns:
        torch.Tensor of shape ``(B, 2, H, W)``: ``[:, 0]`` the x (width)
        coordinates, ``[:, 1]`` the y ones, for
        :func:`spatial_transformer_sampler`.  (PyTorch's ``affine_grid``
        with ``align_corners=True`` gives the same points as ``(B, H, W, 2)``.)
    """
    theta = as_tensor(theta)
    height, width = output_shape
    ys, xs = torch.meshgrid(
        torch.linspace(-1, 1, height, dtype=theta.dtype, device=theta.device),
        torch.linspace(-1, 1, width, dtype=theta.dtype, device=theta.device), indexing='ij')
    coords = torch.stack([xs, ys, torch.ones_like(xs)]).reshape(3, height * width)
    return (theta @ coords).reshape(len(theta), 2, height, width)
