"""Copying an array to a device, differentiably."""

from chainvision.backend import as_tensor, get_device


def copy(x, dst):
    """Return a copy of ``x`` on the device ``dst``; the gradient flows back
    to ``x``'s device.

    Args:
        x: a tensor or NumPy array.
        dst: a device specifier: ``-1``/``'@numpy'``/``'cpu'`` for the CPU,
            ``N``/``'@cupy:N'``/``'cuda:N'`` for a GPU (see
            :mod:`chainvision.backend`), or ``cuda.DummyDevice``.

    Returns:
        torch.Tensor: always a new tensor, even on the same device (as
        Chainer's ``copy``).
    """
    if getattr(dst, 'id', None) == -1:  # backends.cuda.DummyDevice, Chainer's old CPU marker
        dst = -1
    return as_tensor(x).to(get_device(dst).torch_device, copy=True)
