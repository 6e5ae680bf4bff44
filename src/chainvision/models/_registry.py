"""The model registry: every zoo model by name, and the ``register``
decorator that adds users' own.

>>> from chainvision import models
>>> model = models.create('resnet20', num_classes=100)
>>> models.info('resnet20').params
269722
"""

import dataclasses
import difflib
import functools
import inspect
import os
import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, overload

import torch

from chainvision.models import _counts_cache, _flops
from chainvision.models._base import ImageClassifier
from chainvision.models._features import FeatureExtractor
from chainvision.models.weights.pretrained import build_pretrained

Builder = Callable[..., ImageClassifier]
"""A model builder: hyper-parameters as keyword arguments (all with
defaults) -> a network."""

_B = TypeVar('_B', bound=Builder)


@dataclasses.dataclass(frozen=True)
class _Entry:
    builder: Builder
    input_size: tuple[int, int, int] | None
    reference: str


_BUILDERS: dict[str, _Entry] = {}


@dataclasses.dataclass(frozen=True)
class ModelInfo:
    """What :func:`info` tells about a registered model, built with its
    default hyper-parameters.

    Attributes:
        name (str): the registered name.
        params (int): number of parameters.
        macs (int or None): multiply-accumulates of one forward pass of one
            image of ``input_size`` in inference mode (convolutions and fully
            connected layers; the papers' "FLOPs"); ``None`` when the model
            was registered without an input size.
        input_size (tuple or None): ``(C, H, W)`` the model is made for.
        reference (str): the paper or tutorial the model follows.
        description (str): the first line of the builder's docstring.
    """

    name: str
    params: int
    macs: int | None
    input_size: tuple[int, int, int] | None
    reference: str
    description: str


@overload
def register(builder: _B, *, name: str | None = None, input_size: Sequence[int] | None = None,
             reference: str = '') -> _B: ...


@overload
def register(builder: None = None, *, name: str | None = None,
             input_size: Sequence[int] | None = None,
             reference: str = '') -> Callable[[_B], _B]: ...


def register(builder: _B | None = None, *, name: str | None = None,
             input_size: Sequence[int] | None = None,
             reference: str = '') -> _B | Callable[[_B], _B]:
    """Decorator that registers a model builder under ``name`` (default:
    the function's name).

    A builder is a callable taking hyper-parameters as keyword arguments
    (all with defaults) and returning a :class:`~chainvision.Chain`.

    Args:
        name (str): the name :func:`create` takes.
        input_size (tuple): ``(C, H, W)`` of the images the model is made
            for; :func:`info` counts MACs at this size.
        reference (str): the paper or tutorial the model follows.

    Used bare (``@register``) or with arguments
    (``@register(input_size=(3, 32, 32), reference='...')``); returns the
    builder unchanged.  Registering a taken name raises ``ValueError``.
    """
    if builder is None:
        return functools.partial(register, name=name, input_size=input_size,
                                 reference=reference)
    key = name or builder.__name__
    if key in _BUILDERS:
        raise ValueError('A model called {!r} is already registered.'.format(key))
    size = None
    if input_size is not None:
        if len(input_size) != 3:
            raise ValueError('input_size must be (C, H, W), got {!r}.'.format(input_size))
        size = (int(input_size[0]), int(input_size[1]), int(input_size[2]))
    _BUILDERS[key] = _Entry(builder, size, reference)
    return builder


def _natural_key(name: str) -> list[int | str]:
    # 'resnet20' before 'resnet110': digit runs compare as numbers.
    return [int(part) if part.isdigit() else part for part in re.split(r'(\d+)', name)]


def names() -> list[str]:
    """Names of all registered models, sorted with numbers in numeric order
    (``resnet20`` before ``resnet110``)."""
    return sorted(_BUILDERS, key=_natural_key)


class UnknownModelError(KeyError):
    """Raised for a model name that is not registered; a ``KeyError``
    whose message lists the close matches."""

    def __str__(self) -> str:
        return self.args[0]


def _close_matches(name: str, n: int = 5, cutoff: float = 0.6) -> list[str]:
    # difflib's similarity, ties broken by the longer common prefix, so that
    # 'resnet2O' suggests resnet20 before resnet32.
    scored = []
    for candidate in names():
        ratio = difflib.SequenceMatcher(None, name, candidate).ratio()
        if ratio >= cutoff:
            scored.append((-ratio, -len(os.path.commonprefix([name, candidate])), candidate))
    return [candidate for _, _, candidate in sorted(scored)[:n]]


def _entry(name: str) -> _Entry:
    if name not in _BUILDERS:
        close = _close_matches(str(name))
        hint = ('Did you mean: {}?'.format(', '.join(close)) if close
                else 'See chainvision.models.names() (or `chainvision models`).')
        raise UnknownModelError('Unknown model {!r}. {}'.format(name, hint))
    return _BUILDERS[name]


def create(name: str, pretrained: str | os.PathLike | None = None, features_only: bool = False,
           **hparams: Any) -> ImageClassifier | FeatureExtractor:
    """Build the registered model ``name`` with hyper-parameters ``hparams``
    (for instance ``num_classes``, ``in_channels``, ``act_fn``).

    With ``pretrained`` (a tag such as ``'resnet50.tv_in1k'``, ``'auto'``
    or a weight file; see :mod:`chainvision.models.weights.pretrained`) the
    network is built as the weights need (stride placement, BatchNorm eps)
    and loaded; its ``pretrained_config`` then gives their normalisation,
    input size and published accuracy.  Another ``num_classes`` than the
    weights' keeps a freshly initialised classifier, with a warning.

    With ``features_only=True`` the result is the network's body, a
    :class:`~chainvision.models.FeatureExtractor` whose forward returns the
    list of per-stage feature maps, described by its ``info()``.

    Raises:
        UnknownModelError: (a ``KeyError``) unknown name; the message lists
            the close matches.
        TypeError: a hyper-parameter the model does not take.
        FileNotFoundError: ``pretrained`` weights that are not on disk and
            cannot be downloaded now; the message says where to get them.
    """
    builder = _entry(name).builder
    try:
        model = (build_pretrained(name, builder, pretrained, hparams) if pretrained
                 else builder(**hparams))
    except TypeError as err:
        if 'keyword argument' not in str(err):
            raise
        raise TypeError('{} (building {!r}); see help(chainvision.models.{}) for the '
                        'hyper-parameters it takes.'.format(err, name, name)) from None
    return FeatureExtractor(model) if features_only else model


@functools.lru_cache(maxsize=None)
def _measure(name: str) -> tuple[int, int | None]:
    entry = _entry(name)
    return tuple(_counts_cache.cached_counts(name, entry.builder,
                                             functools.partial(_count, entry)))


def _count(entry: _Entry) -> tuple[int, int | None]:
    # On the meta device no memory is allocated and no arithmetic is done:
    # parameter and output shapes are all that counting needs.
    with torch.device('meta'):
        model = entry.builder()
    params = sum(p.numel() for p in model.parameters())
    macs = None if entry.input_size is None else _flops.count_macs(model, entry.input_size)
    return params, macs


def info(name: str) -> ModelInfo:
    """Return the :class:`ModelInfo` of the registered model ``name``
    (counted once: the model is built on PyTorch's ``meta`` device, so even
    VGG-16 takes no memory; the zoo's counts are kept in the cache folder
    between runs, see :mod:`~chainvision.models._counts_cache`)."""
    entry = _entry(name)
    params, macs = _measure(name)
    doc = inspect.getdoc(entry.builder) or ''
    return ModelInfo(name=name, params=params, macs=macs, input_size=entry.input_size,
                     reference=entry.reference, description=doc.split('\n')[0])
