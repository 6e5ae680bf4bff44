"""Permuting the axes of an array."""

from chainvision.backend import as_tensor


def transpose(x, axes=None):
    """Permute the axes of ``x``: ``axes`` is a permutation of
    ``range(x.ndim)``; ``None`` (default) reverses the axes, as NumPy."""
    x = as_tensor(x)
    if axes is None:
        axes = tuple(reversed(range(x.ndim)))
    if sorted(a % max(x.ndim, 1) for a in axes) != list(range(x.ndim)):
        raise ValueError('transpose: axes {} is not a permutation of the {} axes of x.'.format(
            tuple(axes), x.ndim))
    return x.permute(*axes)
