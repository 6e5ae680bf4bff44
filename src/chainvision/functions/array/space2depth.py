"""Moving space into channels, the inverse of ``depth2space``."""

from chainvision.backend import as_tensor


def space2depth(X, r):
    """Rearrange ``(N, C, H * r, W * r)`` into ``(N, C * r * r, H, W)``, the
    inverse of :func:`~chainvision.functions.depth2space` (Chainer's channel
    order, not ``torch.nn.functional.pixel_unshuffle``'s)."""
    X = as_tensor(X)
    n, c, hr, wr = X.shape
    if hr % r or wr % r:
        raise ValueError('space2depth: height {} and width {} must be divisible by r = {}.'.format(
            hr, wr, r))
    h, w = hr // r, wr // r
    return X.reshape(n, c, h, r, w, r).permute(0, 3, 5, 1, 2, 4).reshape(n, r * r * c, h, w)
