"""Turning a list of examples into batched arrays on a device (Chainer's
``chainer.dataset.convert``)."""

import numpy
import torch

from chainvision import backend


class Batch(tuple):
    """A tuple of arrays that is already a batch (e.g. ``(x, t)`` from
    :class:`chainvision.datasets.DeviceLoader`).

    :func:`concat_examples` only moves it to the requested device instead of
    stacking its elements, so a pre-batched loader plugs into Chainer's
    ``StandardUpdater`` and ``Evaluator`` with their default converter.
    """


def to_device(device, x):
    """Send ``x`` (a tensor or NumPy array) to ``device``; ``None`` leaves it
    where it is.  NumPy arrays sent to a device become tensors."""
    if device is None:
        return x
    return backend.to_device(x, device)


def _is_array(x):
    return isinstance(x, (numpy.ndarray, torch.Tensor))


def _concat_arrays(arrays, padding):
    if not _is_array(arrays[0]):
        arrays = numpy.asarray(arrays)
    if padding is not None:
        return _concat_arrays_with_padding(arrays, padding)
    if isinstance(arrays[0], torch.Tensor):
        return torch.stack([torch.as_tensor(a) for a in arrays])
    return numpy.stack(arrays)


def _concat_arrays_with_padding(arrays, padding):
    shape = numpy.max([numpy.shape(a) for a in arrays], axis=0)
    first = arrays[0]
    if isinstance(first, torch.Tensor):
        result = torch.full((len(arrays),) + tuple(int(s) for s in shape), padding,
                            dtype=first.dtype, device=first.device)
    else:
        result = numpy.full((len(arrays),) + tuple(shape), padding,
                            dtype=numpy.asarray(first).dtype)
    for i, array in enumerate(arrays):
        result[(i,) + tuple(slice(dim) for dim in numpy.shape(array))] = array
    return result


def concat_examples(batch, device=None, padding=None):
    """Turn a list of examples into a batch: a tuple of arrays for tuple
    examples, a dict of arrays for dict examples, one array otherwise.

    Args:
        batch (list): examples, e.g. ``[(x0, t0), (x1, t1), ...]``.  A
            :class:`Batch` is already batched and is only moved to ``device``.
        device: device specifier (``None``: leave arrays where they are;
            ``-1``/``'cpu'``: CPU; ``0``/``'cuda:0'``: GPU).  Unlike Chainer,
            arrays sent to a device are ``torch.Tensor`` (NumPy arrays stay
            NumPy when ``device`` is ``None``).
        padding: ``None`` (shapes must agree) or the value that fills the
            gaps when stacking arrays of different shapes (a tuple/dict gives
            one value per element).

    Returns:
        tuple, dict or array, following the type of the examples.
    """
    if isinstance(batch, Batch):
        return Batch(to_device(device, x) for x in batch)
    if len(batch) == 0:
        raise ValueError('batch is empty')
    first = batch[0]
    if isinstance(first, tuple):
        pads = padding if isinstance(padding, tuple) else [padding] * len(first)
        return tuple(to_device(device, _concat_arrays([ex[i] for ex in batch], pads[i]))
                     for i in range(len(first)))
    if isinstance(first, dict):
        pads = padding if isinstance(padding, dict) else {key: padding for key in first}
        return {key: to_device(device, _concat_arrays([ex[key] for ex in batch], pads[key]))
                for key in first}
    return to_device(device, _concat_arrays(batch, padding))


class Converter:
    """Base class of converters: ``converter(batch, device)`` turns a list
    of examples into the arguments of the loss function on ``device`` (a
    :class:`~chainvision.backend.Device` or ``None``).  Subclasses define
    ``__call__``; :func:`converter` makes one from a function."""

    def __call__(self, batch, device):
        raise NotImplementedError('{} must implement __call__(batch, device)'.format(
            type(self).__name__))


class _FunctionConverter(Converter):
    def __init__(self, function):
        if not callable(function):
            raise TypeError('Can only wrap a callable. Actual: {}'.format(type(function)))
        self.function = function

    def __call__(self, *args, **kwargs):
        if len(args) >= 2:
            args = (args[0], _as_device(args[1])) + tuple(args[2:])
        elif 'device' in kwargs:
            kwargs['device'] = _as_device(kwargs['device'])
        return self.function(*args, **kwargs)


def _as_device(device):
    return device if device is None else backend.get_device(device)


def converter():
    """Decorator making a :class:`Converter` of ``f(batch, device)``: the
    ``device`` it receives is always a :class:`~chainvision.backend.Device`
    (or ``None``), even when the caller passes ``-1``, ``0`` or
    ``'@cupy:0'``, as Chainer's decorator does.

    >>> @converter()
    ... def to_float(batch, device):
    ...     return device.send(numpy.asarray(batch, numpy.float32))
    >>> to_float([1, 2], -1)
    tensor([1., 2.])
    """
    return _FunctionConverter
