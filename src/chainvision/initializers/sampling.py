"""Bilinear up- and downsampling filters (Long et al. 2015, arXiv 1411.4038)."""

import torch

from chainvision.initializers._base import Initializer


def _linear_filter(size, ndim, dtype):
    # The tent 1 - |i - center| / factor along each axis, multiplied across axes.
    factor = (size + 1) // 2
    center = factor - 1 if size % 2 else factor - 0.5
    tent = 1 - (torch.arange(size, dtype=torch.float64) - center).abs() / factor
    kernel = tent
    for _ in range(ndim - 1):
        kernel = kernel.unsqueeze(-1) * tent
    return kernel.to(dtype)


class _SamplingFilter(Initializer):
    normalize = False

    def __init__(self, interpolation='linear', dtype=None):
        if interpolation != 'linear':
            raise ValueError('Unsupported interpolation method: {}'.format(interpolation))
        super().__init__(dtype)
        self.interpolation = interpolation

    def __call__(self, array):
        in_channels, out_channels = array.shape[:2]
        if out_channels not in (1, in_channels):
            raise ValueError('a sampling filter maps each channel to itself: the weight needs '
                             'shape (C, C, k, ...) or (C, 1, k, ...), got {}'.format(
                                 tuple(array.shape)))
        ksize = set(array.shape[2:])
        if len(ksize) != 1:
            raise ValueError('ksize must be all same: {}'.format(tuple(array.shape[2:])))
        kernel = _linear_filter(ksize.pop(), array.ndim - 2, array.dtype)
        if self.normalize:
            kernel = kernel / kernel.sum()
        channels = torch.arange(in_channels)
        with torch.no_grad():
            array.zero_()
            array[channels, channels if out_channels > 1 else 0] = kernel.to(array.device)
        return array


class UpsamplingDeconvFilter(_SamplingFilter):
    """Bilinear upsampling weights for a deconvolution ``W`` ``(C, C, k, k)``
    (or ``(C, 1, k, k)`` with groups): channel ``c`` to ``c`` gets the tent
    kernel ``(1 - |i - center| / f) * (1 - |j - center| / f)``,
    ``f = (k + 1) // 2``, every other pair 0.  With ``stride = f`` the
    deconvolution then upsamples bilinearly (FCN's initialization).

    Args:
        interpolation (str): only ``'linear'``.
        dtype: the dtype it produces by default.
    """


class DownsamplingConvFilter(_SamplingFilter):
    """The same tent kernel as :class:`UpsamplingDeconvFilter`, normalized to
    sum 1, for a convolution ``W`` ``(C, C, k, k)``: with ``stride = (k + 1)
    // 2`` the convolution downsamples by a weighted average."""

    normalize = True
