"""Bilinear sampling of a spatial transformer (Jaderberg et al. 2015, arXiv 1506.02025)."""

import torch.nn.functional as torch_f

from chainvision.backend import as_tensors


def spatial_transformer_sampler(x, grid):
    """Sample ``x`` bilinearly at the points ``grid``.

    Args:
        x: images of shape ``(B, C, H, W)``.
        grid: sampling points of shape ``(B, 2, H_out, W_out)`` in
            normalized coordinates (``[:, 0]`` x, ``[:, 1]`` y; -1 and 1 are
            the centres of the corner pixels), e.g. from
            :func:`spatial_transformer_grid`.

    Returns:
        torch.Tensor of shape ``(B, C, H_out, W_out)``; points outside the
        image read zeros.  Differentiable in ``x`` and ``grid``.
    """
    x, grid = as_tensors(x, grid)
    return torch_f.grid_sample(x, grid.permute(0, 2, 3, 1), mode='bilinear',
                               padding_mode='zeros', align_corners=True)
