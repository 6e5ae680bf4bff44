"""What every zoo model shares: the :class:`ImageClassifier` base, the
activation functions selectable by name, and He-normal initialization
scaled for the chosen activation.
"""

import functools
import math

from chainvision import functions as F
from chainvision import initializers
from chainvision.configuration import is_train, no_backprop_mode, using_config
from chainvision.link import Chain

# Activations selectable by name.  ``leakyrelu`` uses PyTorch's slope 0.01,
# as the UvA tutorial that introduced these names does (Chainer's default
# slope is 0.2).
ACTIVATIONS = {
    'relu': F.relu,
    'tanh': F.tanh,
    'leakyrelu': functools.partial(F.leaky_relu, slope=0.01),
    'gelu': F.gelu,
    'sigmoid': F.sigmoid,
}

# Gain of each activation for He-normal initialization: std = gain / sqrt(fan),
# PyTorch's ``calculate_gain`` values.  GELU (which ``calculate_gain`` does not
# know) takes ReLU's gain, whose shape it closely follows for positive inputs.
_GAINS = {
    'relu': math.sqrt(2.0),
    'gelu': math.sqrt(2.0),
    'leakyrelu': math.sqrt(2.0 / (1.0 + 0.01 ** 2)),
    'tanh': 5.0 / 3.0,
    'sigmoid': 1.0,
}


def get_activation(act_fn):
    """Return the activation function called ``act_fn``.

    Args:
        act_fn (str or callable): one of ``'relu'``, ``'tanh'``,
            ``'leakyrelu'`` (slope 0.01), ``'gelu'``, ``'sigmoid'``, or any
            callable mapping an array to an array of the same shape.

    Raises:
        ValueError: for an unknown name (the message lists the known ones).
    """
    if callable(act_fn):
        return act_fn
    if act_fn not in ACTIVATIONS:
        raise ValueError('Unknown act_fn {!r}: use one of {} or pass a function.'.format(
            act_fn, ', '.join(sorted(ACTIVATIONS))))
    return ACTIVATIONS[act_fn]


def he_normal(act_fn='relu', fan_option='fan_in'):
    """He-normal initializer (He et al. 2015) with the gain of ``act_fn``:
    weights drawn from N(0, gain^2 / fan), as PyTorch's ``kaiming_normal_``
    with ``nonlinearity=act_fn`` (the UvA tutorials' initialization).

    For ``'relu'`` this is Chainer's ``HeNormal(fan_option=fan_option)``.
    A callable ``act_fn`` gets ReLU's gain.
    """
    gain = _GAINS.get(act_fn, _GAINS['relu']) if isinstance(act_fn, str) else _GAINS['relu']
    return initializers.HeNormal(scale=gain / math.sqrt(2.0), fan_option=fan_option)


def global_average_pooling_2d(x):
    """Average each feature map ``(N, C, H, W)`` to one value: ``(N, C, 1, 1)``."""
    return F.average_pooling_2d(x, x.shape[2:])


def dropout(x, ratio, link):
    """:func:`F.dropout <chainvision.functions.dropout>` applied only while
    ``link`` trains: ``F.dropout`` reads ``config.train`` alone, this also
    honours ``link.eval()``."""
    return F.dropout(x, ratio) if is_train(link) else x


def _check_positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError('{} must be a positive integer, got {!r}.'.format(name, value))


class ImageClassifier(Chain):
    """Base of the zoo's networks: a :class:`~chainvision.Chain` mapping
    images ``(N, in_channels, H, W)`` (float32) to class logits
    ``(N, num_classes)``, in training and in inference mode alike.

    Args:
        num_classes (int): number of classes (outputs).
        in_channels (int): channels of the input images.
        act_fn (str or callable): the hidden activation, see
            :func:`get_activation`; kept as ``self.act``.

    Attributes ``num_classes``, ``in_channels`` and ``act_fn`` (the name, or
    the function passed) record the configuration.
    """

    def __init__(self, num_classes, in_channels, act_fn='relu'):
        super().__init__()
        _check_positive_int('num_classes', num_classes)
        _check_positive_int('in_channels', in_channels)
        self.num_classes = num_classes
        self.in_channels = in_channels
        self.act_fn = act_fn
        self.act = get_activation(act_fn)

    def predict(self, x):
        """Class probabilities ``(N, num_classes)`` for images ``x``.

        Runs in inference mode (``config.train = False``: BatchNorm uses its
        running averages, dropout is off) without recording gradients; each
        row sums to 1.  Unlike Chainer's ``VGG16Layers.predict``, ``x`` is
        an already preprocessed array, not a list of PIL images.
        """
        with using_config('train', False), no_backprop_mode():
            return F.softmax(self.forward(x), axis=1)
