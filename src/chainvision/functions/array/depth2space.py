"""Moving channels into space (sub-pixel convolution's rearrangement)."""

from chainvision.backend import as_tensor


def depth2space(X, r):
    """Rearrange ``(N, C * r * r, H, W)`` into ``(N, C, H * r, W * r)``.

    Chainer's channel order: input channel ``(i * r + j) * C + c`` goes to
    output channel ``c`` at offset ``(i, j)`` of each ``r x r`` block.  This
    differs from ``torch.nn.functional.pixel_shuffle``, which reads channel
    ``c * r * r + i * r + j``; weights trained with one do not fit the other.
    """
    X = as_tensor(X)
    n, channels, h, w = X.shape
    if channels % (r * r):
        raise ValueError('depth2space: {} channels are not divisible by r * r = {}.'.format(
            channels, r * r))
    c = channels // (r * r)
    return X.reshape(n, r, r, c, h, w).permute(0, 3, 4, 1, 5, 2).reshape(n, c, h * r, w * r)
