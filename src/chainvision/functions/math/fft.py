"""Fast Fourier transforms of (real, imaginary) pairs."""

import torch

from chainvision.backend import as_tensors


def _transform(transform, x):
    real, imag = as_tensors(*x)
    y = transform(torch.complex(real, imag), dim=-1)
    return y.real, y.imag


def fft(x):
    """One-dimensional discrete Fourier transform along the last axis.

    Args:
        x (tuple): ``(real, imag)``, two float arrays of one shape.

    Returns:
        tuple: ``(real, imag)`` of the transform (``numpy.fft.fft``),
        differentiable in both inputs.
    """
    return _transform(torch.fft.fft, x)


def ifft(x):
    """The inverse of :func:`fft`, on and to ``(real, imag)`` pairs
    (``numpy.fft.ifft``)."""
    return _transform(torch.fft.ifft, x)
