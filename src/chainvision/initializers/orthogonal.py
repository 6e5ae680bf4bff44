"""The orthogonal initializer (Saxe et al. 2014)."""

import torch

from chainvision.initializers._base import Initializer


class Orthogonal(Initializer):
    """Fill with a random orthogonal matrix times ``scale`` (Chainer's default
    ``scale=1.1``).

    The parameter is seen as a matrix of ``shape[0]`` rows and
    ``prod(shape[1:])`` columns; its rows (if fewer) or columns are
    orthonormal.  ``mode`` is accepted for Chainer compatibility; ``'auto'``
    picks by shape as Chainer does.
    """

    def __init__(self, scale=1.1, dtype=None, mode='auto'):
        super().__init__(dtype)
        self.scale = scale
        if mode not in ('auto', 'projection', 'basis', 'embedding'):
            raise ValueError("mode must be 'auto', 'projection', 'basis' or 'embedding'.")
        self.mode = mode

    def __call__(self, array):
        if array.ndim < 2:
            raise ValueError('Orthogonal needs at least 2 dimensions, got shape {}.'.format(
                tuple(array.shape)))
        rows = array.shape[0]
        cols = array.numel() // rows
        flat = torch.randn(max(rows, cols), min(rows, cols), dtype=torch.float64)
        q, r = torch.linalg.qr(flat)
        q = q * torch.sign(torch.diagonal(r))  # a uniform (Haar) draw, not QR's bias
        if rows < cols:
            q = q.T
        with torch.no_grad():
            array.copy_((self.scale * q).reshape(array.shape).to(array.dtype))
        return array
