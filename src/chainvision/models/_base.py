"""What every zoo model shares: the :class:`ImageClassifier` base, the
activation functions selectable by name, He-normal initialization scaled
for the chosen activation, and BatchNorm-activation in one pass.
"""

import functools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

import numpy
import torch

from chainvision import functions as F
from chainvision import links as L
from chainvision import initializers
from chainvision.configuration import is_train
from chainvision.link import Chain
from chainvision.models._inference import infer

Activation = Callable[[torch.Tensor], torch.Tensor]
"""A hidden activation: a function of an array, elementwise."""

# Activations selectable by name.  ``leakyrelu`` uses PyTorch's slope 0.01,
# as the UvA tutorial that introduced these names does (Chainer's default
# slope is 0.2).
ACTIVATIONS: dict[str, Activation] = {
    'relu': F.relu,
    'tanh': F.tanh,
    'leakyrelu': functools.partial(F.leaky_relu, slope=0.01),
    'gelu': F.gelu,
    'sigmoid': F.sigmoid,
}

# In-place forms (PyTorch's trailing underscore) of the activations that have
# one.  The zoo's networks apply them to results nothing else reads (a
# convolution's, a BatchNorm's or a residual sum's fresh output), as
# torchvision's ReLU(inplace=True) does: no new array and one pass over
# memory fewer (issue 9's profile of ResNet-50 inference: 84 ms of 917 in the
# out-of-place ReLU, 15 ms in place).  Autograd checks that nothing it saved
# for the backward pass is overwritten.
INPLACE_ACTIVATIONS: dict[str, Activation] = {
    'relu': torch.relu_,
    'tanh': torch.tanh_,
    'leakyrelu': functools.partial(torch.nn.functional.leaky_relu_, negative_slope=0.01),
    'sigmoid': torch.sigmoid_,
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


def get_activation(act_fn: str | Activation) -> Activation:
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


def get_inplace_activation(act_fn: str | Activation) -> Activation:
    """The in-place form of activation ``act_fn`` (``'relu'``, ``'tanh'``,
    ``'leakyrelu'``, ``'sigmoid'``: it overwrites its argument and returns
    it), for results nothing else reads; for ``'gelu'`` and callables, the
    activation itself (:func:`get_activation`)."""
    if isinstance(act_fn, str) and act_fn in INPLACE_ACTIVATIONS:
        return INPLACE_ACTIVATIONS[act_fn]
    return get_activation(act_fn)


# The activations a BatchNorm applies in its own pass (``relu=True``).
_RELUS = (ACTIVATIONS['relu'], INPLACE_ACTIVATIONS['relu'], torch.relu)


def batch_norm_act(bn: L.BatchNormalization, x: torch.Tensor, act: Activation,
                   residual: torch.Tensor | None = None) -> torch.Tensor:
    """``act(bn(x) + residual)`` (``act(bn(x))`` without ``residual``): a
    BatchNorm, the residual addition and the activation, in one native pass
    for ReLU where :func:`~chainvision.functions.batch_normalization` fuses
    them (CPU, channels-last: three passes over memory become one)."""
    if act in _RELUS:
        return bn(x, residual=residual, relu=True)
    return act(bn(x, residual=residual))


def he_normal(act_fn: str | Activation = 'relu',
              fan_option: str = 'fan_in') -> initializers.HeNormal:
    """He-normal initializer (He et al. 2015) with the gain of ``act_fn``:
    weights drawn from N(0, gain^2 / fan), as PyTorch's ``kaiming_normal_``
    with ``nonlinearity=act_fn`` (the UvA tutorials' initialization).

    For ``'relu'`` this is Chainer's ``HeNormal(fan_option=fan_option)``.
    A callable ``act_fn`` gets ReLU's gain.
    """
    gain = _GAINS.get(act_fn, _GAINS['relu']) if isinstance(act_fn, str) else _GAINS['relu']
    return initializers.HeNormal(scale=gain / math.sqrt(2.0), fan_option=fan_option)


def global_average_pooling_2d(x: torch.Tensor) -> torch.Tensor:
    """Average each feature map ``(N, C, H, W)`` to one value: ``(N, C, 1, 1)``."""
    return F.average_pooling_2d(x, x.shape[2:])


def dropout(x: torch.Tensor, ratio: float, link: Chain) -> torch.Tensor:
    """:func:`F.dropout <chainvision.functions.dropout>` applied only while
    ``link`` trains: ``F.dropout`` reads ``config.train`` alone, this also
    honours ``link.eval()``."""
    return F.dropout(x, ratio) if is_train(link) else x


def _check_positive_int(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError('{} must be a positive integer, got {!r}.'.format(name, value))


def set_batch_norm_eps(model: Chain, eps: float) -> None:
    """Give every BatchNorm link of ``model`` the epsilon ``eps``
    (Chainer's default is 2e-5; torchvision's and timm's weights were
    trained with PyTorch's 1e-5, and their outputs need it)."""
    for link in model.links():
        if hasattr(link, 'avg_var'):
            link.eps = eps


class FeatureInfo(NamedTuple):
    """One stage of a network's feature pyramid (timm's ``feature_info``):
    the stage's ``name`` (the layer name of Chainer's pre-trained models,
    such as ``'res2'`` or ``'pool3'``, where they have one; otherwise the
    link that computes it), its output ``channels`` and its ``stride``, the
    input size over the map's size."""

    name: str
    channels: int
    stride: int


class ImageClassifier(Chain):
    """Base of the zoo's networks: a :class:`~chainvision.Chain` mapping
    images ``(N, in_channels, H, W)`` (float32) to class logits
    ``(N, num_classes)``, in training and in inference mode alike.

    The backbone interface (timm's): a network is a body of stages and a
    head.  A subclass defines :meth:`forward_stages` (yields each stage's
    feature map), :meth:`forward_head` (last map -> logits),
    ``feature_info`` (a :class:`FeatureInfo` per stage) and ``head_links``
    (names of the links only the head uses); ``forward`` is then the head of
    the last stage's map, and ``models.create(name, features_only=True)``
    the body alone.

    Args:
        num_classes (int): number of classes (outputs).
        in_channels (int): channels of the input images.
        act_fn (str or callable): the hidden activation, see
            :func:`get_activation`; kept as ``self.act``, and its in-place
            form (:func:`get_inplace_activation`) as ``self.inplace_act``,
            which the zoo's networks apply to fresh results.

    Attributes ``num_classes``, ``in_channels`` and ``act_fn`` (the name, or
    the function passed) record the configuration.
    """

    def __init__(self, num_classes: int, in_channels: int,
                 act_fn: str | Activation = 'relu') -> None:
        super().__init__()
        _check_positive_int('num_classes', num_classes)
        _check_positive_int('in_channels', in_channels)
        self.num_classes = num_classes
        self.in_channels = in_channels
        self.act_fn = act_fn
        self.act = get_activation(act_fn)
        self.inplace_act = get_inplace_activation(act_fn)

    feature_info: Sequence[FeatureInfo] = ()
    head_links: Sequence[str] = ()

    def forward_stages(self, x: torch.Tensor) -> Iterator[torch.Tensor]:
        """Yield the feature map of each stage for images ``x``
        ``(N, in_channels, H, W)``, in order: ``(N, channels, H / stride,
        W / stride)`` as listed in ``feature_info`` (sizes round as the
        pooling of each network does)."""
        raise NotImplementedError

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """The last feature map before the head's pooling: the output of
        the last stage, ``(N, feature_info[-1].channels, H', W')``."""
        for h in self.forward_stages(x):
            pass
        return h

    def forward_head(self, h: torch.Tensor) -> torch.Tensor:
        """Logits ``(N, num_classes)`` from the last feature map ``h``."""
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits ``(N, num_classes)`` of images ``x`` ``(N, in_channels, H, W)``."""
        return self.forward_head(self.forward_features(x))

    def torchvision_arrays(self, state_dict: Mapping[str, Any]) -> dict[str, Any]:
        """``{npz key: array}`` of this network from a torchvision or timm
        ``state_dict`` (the families with published ImageNet weights map
        their names; see :mod:`chainvision.models.weights.layouts`).

        Raises:
            ValueError: the family has no torchvision or timm counterpart,
                or the ``state_dict`` is another network's.
        """
        raise ValueError('{} has no torchvision or timm counterpart.'.format(
            type(self).__name__))

    def caffe_arrays(self, layers: Mapping[str, list[numpy.ndarray]]) -> dict[str, Any]:
        """``{npz key: array}`` of this network from a Caffe model's layers
        (as :func:`~chainvision.models.weights.read_caffemodel` returns
        them).

        Raises:
            ValueError: the family has no Caffe counterpart, or a layer is
                missing.
        """
        raise ValueError('{} has no Caffe counterpart.'.format(type(self).__name__))

    def predict(self, x: torch.Tensor, precision: str = 'auto') -> torch.Tensor:
        """Class probabilities ``(N, num_classes)``, float32, for images ``x``.

        Runs in inference mode (BatchNorm uses its running averages, dropout
        is off) without recording gradients, through the network's fast
        inference form (:func:`~chainvision.models.infer`: BatchNorm folded
        into the convolutions, channels-last memory, and bf16 where the
        device computes it natively; ``precision='fp32'`` keeps float32
        throughout, within 1e-4 of the plain forward); the network itself
        is left as it is.  Each row sums to 1.  Unlike Chainer's
        ``VGG16Layers.predict``, ``x`` is an already preprocessed array, not
        a list of PIL images.
        """
        return F.softmax(infer(self, x, precision), axis=1)
