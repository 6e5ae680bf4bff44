"""Local response normalization across channels (AlexNet)."""

import torch
import torch.nn.functional as torch_f

from chainvision.backend import as_tensor


def local_response_normalization(x, n=5, k=2, alpha=1e-4, beta=.75):
    """``y_c = x_c / (k + alpha * sum_{|c' - c| <= n // 2} x_c'^2) ** beta``.

    Args:
        x: array of shape ``(N, C, ...)``.
        n (int): window size across channels (default 5).  As in Chainer's
            CPU code, the window covers ``n // 2`` channels on each side, so
            an even ``n`` behaves like ``n + 1``.
        k, alpha, beta (float): Chainer's defaults ``2``, ``1e-4``, ``.75``.

    Returns:
        torch.Tensor of the shape of ``x``.

    Unlike PyTorch's ``local_response_norm``, ``alpha`` multiplies the *sum*
    of squares, not their mean over the window (PyTorch's ``alpha`` is
    Chainer's times the window size).
    """
    x = as_tensor(x)
    if x.ndim < 2:
        raise ValueError('local_response_normalization expects x of shape (N, C, ...), '
                         'got shape {}.'.format(tuple(x.shape)))
    if x.dtype == torch.float16 and x.device.type == 'cpu':
        # PyTorch has no float16 average pooling (LRN's window sum) on the CPU.
        return local_response_normalization(x.float(), n, k, alpha, beta).half()
    size = 2 * (n // 2) + 1
    flat = x if x.ndim > 2 else x.unsqueeze(-1)
    y = torch_f.local_response_norm(flat, size, alpha * size, beta, k)
    return y.reshape(x.shape)
