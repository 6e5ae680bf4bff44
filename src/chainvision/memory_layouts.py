"""Chainer's memory layouts, on PyTorch's memory formats.

Chainer 7.8 lets a variable keep its data channel-last (NHWC) for cuDNN while
its ``shape`` stays the semantic NCHW one: ``h.as_layout(CUDNN_CHANNEL_LAST_X)``
converts, ``h.as_layout(None)`` converts back.  A ``torch.Tensor`` has the same
distinction built in: its shape is always NCHW and its *memory format* is
``torch.contiguous_format`` or ``torch.channels_last``.  So here
``CUDNN_CHANNEL_LAST_X``/``_W`` is ``torch.channels_last`` (``channels_last_3d``
for 5-d tensors), ``None`` is the standard layout, and every function accepts
either (PyTorch picks its NHWC kernels for channel-last inputs).
"""

import torch

CUDNN_CHANNEL_FIRST_X = None
CUDNN_CHANNEL_LAST_X = 'CUDNN_CHANNEL_LAST_X'
CUDNN_CHANNEL_FIRST_W = None
CUDNN_CHANNEL_LAST_W = 'CUDNN_CHANNEL_LAST_W'

_CHANNEL_LAST = (CUDNN_CHANNEL_LAST_X, CUDNN_CHANNEL_LAST_W)
_CHANNEL_LAST_FORMATS = {4: torch.channels_last, 5: torch.channels_last_3d}


def _is_channel_last(tensor):
    memory_format = _CHANNEL_LAST_FORMATS.get(tensor.dim())
    return (memory_format is not None and not tensor.is_contiguous()
            and tensor.is_contiguous(memory_format=memory_format))


def _channel_last_shape(shape):
    return (shape[0],) + tuple(shape[2:]) + (shape[1],)


def as_layout(x, layout):
    """Return ``x`` with its data in ``layout`` (Chainer's ``Variable.as_layout``).

    Args:
        x (torch.Tensor): an ``(N, C, H, W)`` or ``(N, C, D, H, W)`` tensor
            (any shape for ``layout=None``).
        layout: ``CUDNN_CHANNEL_LAST_X`` or ``CUDNN_CHANNEL_LAST_W`` for
            channel-last memory, ``None`` for the standard layout.

    Returns:
        torch.Tensor: same shape and values (differentiable); only the memory
        order changes.

    Raises:
        ValueError: for an unknown layout, or channel-last with a tensor that
            is not 4-d or 5-d (PyTorch has no channel-last format for them).
    """
    if layout is None:
        return x.contiguous()
    if layout not in _CHANNEL_LAST:
        raise ValueError('Unknown memory layout {!r}: use None, CUDNN_CHANNEL_LAST_X or '
                         'CUDNN_CHANNEL_LAST_W'.format(layout))
    if x.dim() not in _CHANNEL_LAST_FORMATS:
        raise ValueError('{} needs a 4-d or 5-d tensor, got shape {}'.format(
            layout, tuple(x.shape)))
    return x.contiguous(memory_format=_CHANNEL_LAST_FORMATS[x.dim()])


def get_raw_shape(x):
    """The shape of ``x``'s data as it lies in memory: ``(N, H, W, C)`` for a
    channel-last tensor, otherwise ``x.shape``."""
    if isinstance(x, torch.Tensor) and _is_channel_last(x):
        return _channel_last_shape(tuple(x.shape))
    return tuple(x.shape)


def get_semantic_shape(x, *, assumed_layout=None):
    """The NCHW shape of ``x``.

    A tensor's ``shape`` is always semantic.  For a raw array (NumPy), pass
    ``assumed_layout=CUDNN_CHANNEL_LAST_X`` when its axes are ``(N, H, W, C)``
    to get ``(N, C, H, W)``.
    """
    shape = tuple(x.shape)
    if isinstance(x, torch.Tensor) or assumed_layout is None:
        return shape
    if assumed_layout not in _CHANNEL_LAST:
        raise ValueError('Unknown memory layout {!r}'.format(assumed_layout))
    return (shape[0], shape[-1]) + shape[1:-1]
