"""The initializer base classes and Chainer's fan computation."""

import math

import numpy


class Initializer:
    """Base of all initializers: ``__call__(tensor)`` fills ``tensor`` in place.

    Args:
        dtype: the dtype the initializer produces by default (``None``: the
            parameter's own).
    """

    def __init__(self, dtype=None):
        self.dtype = dtype

    def __call__(self, array):
        raise NotImplementedError

    def __repr__(self):
        fields = ', '.join('{}={!r}'.format(k, v) for k, v in vars(self).items())
        return '{}({})'.format(type(self).__name__, fields)


def get_fans(shape):
    """Return ``(fan_in, fan_out)`` of a weight shape as Chainer defines them.

    For ``shape = (out, in, *kernel)``: ``fan_in = in * prod(kernel)`` and
    ``fan_out = out * prod(kernel)``.  Convolution weights are
    ``(out_channels, in_channels / groups, kh, kw)``, linear weights
    ``(out_size, in_size)``.
    """
    if len(shape) < 2:
        raise ValueError(
            'Fans need a weight of at least 2 dimensions, got shape {}.'.format(tuple(shape)))
    receptive = int(numpy.prod(shape[2:])) if len(shape) > 2 else 1
    return shape[1] * receptive, shape[0] * receptive


def fan_of(shape, fan_option):
    """Return the fan named by ``fan_option`` (``'fan_in'`` or ``'fan_out'``)."""
    fan_in, fan_out = get_fans(shape)
    if fan_option == 'fan_in':
        return fan_in
    if fan_option == 'fan_out':
        return fan_out
    raise ValueError("fan_option must be 'fan_in' or 'fan_out', got {!r}.".format(fan_option))


class FanScaled(Initializer):
    """Base of the LeCun, Glorot and He initializers: fill with the
    subclass's ``distribution`` (:class:`Normal` or :class:`Uniform`) of
    scale ``scale * sqrt(gain / fan(shape))``.

    ``fan`` is the fan named by ``fan_option`` (class default
    ``'fan_in'``); ``gain`` is the subclass's.
    """

    distribution = None
    gain = None
    fan_option = 'fan_in'

    def __init__(self, scale=1.0, dtype=None):
        super().__init__(dtype)
        self.scale = scale

    def fan(self, shape):
        """The fan the scale divides by."""
        return fan_of(shape, self.fan_option)

    def __call__(self, array):
        return self.distribution(self.scale * math.sqrt(self.gain / self.fan(array.shape)))(array)


class GlorotScaled(FanScaled):
    """:class:`FanScaled` over ``fan_in + fan_out`` (Glorot & Bengio 2010)."""

    def fan(self, shape):
        return sum(get_fans(shape))


class HeScaled(FanScaled):
    """:class:`FanScaled` over the fan that ``fan_option`` names:
    ``'fan_in'`` (default) or ``'fan_out'`` (He et al. 2015)."""

    def __init__(self, scale=1.0, dtype=None, fan_option='fan_in'):
        super().__init__(scale, dtype)
        self.fan_option = fan_option
