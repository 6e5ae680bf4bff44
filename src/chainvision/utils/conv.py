"""Output-size arithmetic of convolution and pooling, as Chainer defines it."""


def get_conv_outsize(size, k, s, p, cover_all=False, d=1):
    """Output length of a convolution or pooling along one axis.

    Args:
        size (int): input length.
        k (int): window (kernel) size.
        s (int): stride.
        p (int): padding on each side.
        cover_all (bool): if True, add windows until every input element is
            covered (the result is ``ceil`` instead of ``floor``).  Unlike
            PyTorch's ``ceil_mode``, the last window may start in the padding.
        d (int): dilation.

    >>> get_conv_outsize(5, 2, 2, 0, cover_all=True)
    3
    """
    dk = k + (k - 1) * (d - 1)
    if cover_all:
        return (size + p * 2 - dk + s - 1) // s + 1
    return (size + p * 2 - dk) // s + 1


def get_deconv_outsize(size, k, s, p, cover_all=False, d=1):
    """Output length of a transposed convolution along one axis (the inverse
    of :func:`get_conv_outsize`)."""
    dk = (k - 1) * d + 1
    if cover_all:
        return s * (size - 1) + dk - s + 1 - 2 * p
    return s * (size - 1) + dk - 2 * p


def pair(x):
    """Return ``(x, x)`` for an int, or the pair itself."""
    if hasattr(x, '__getitem__'):
        return int(x[0]), int(x[1])
    return int(x), int(x)


def as_tuple(x, n):
    """Return ``(x,) * n`` for an int, or the ``n`` ints of a sequence.

    Raises:
        ValueError: when a sequence does not have ``n`` entries.
    """
    if hasattr(x, '__getitem__'):
        if len(x) != n:
            raise ValueError('expected {} values (one per spatial axis), got {!r}'.format(n, x))
        return tuple(int(v) for v in x)
    return (int(x),) * n
