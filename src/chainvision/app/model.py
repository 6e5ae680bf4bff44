"""A run's network: a zoo model built for the data (or the caller's own),
its lazy parameters materialised, wrapped in the loss ``Classifier``."""

import functools
import warnings
from typing import Any, Mapping, Optional, Tuple, Union

import torch

from chainvision.functions.evaluation.accuracy import accuracy as accuracy_function
from chainvision.links.model.classifier import Classifier


def create_zoo_model(name: str, model_kwargs: Mapping[str, Any], num_classes: int,
                     in_channels: int, pretrained: Optional[str] = None) -> torch.nn.Module:
    """Build the registered model ``name`` for ``num_classes`` classes and
    ``in_channels``-channel images, with its other ``model_kwargs``, from
    the ``pretrained`` weights where given (a new classifier where their
    classes differ)."""
    from chainvision import models
    with warnings.catch_warnings():
        # Fine-tuning on other classes is what a run with pretrained means.
        warnings.filterwarnings('ignore', message='.*keep their random initialisation')
        return models.create(name, pretrained=pretrained,
                             **dict(model_kwargs, num_classes=num_classes,
                                    in_channels=in_channels))


def describe_start(network: torch.nn.Module, pretrained: str) -> str:
    """The line a run from ``pretrained`` weights prints: which weights, and
    whether its classifier is new."""
    weights = network.pretrained_config
    line = 'weights: {} ({})'.format(weights.tag, pretrained)
    if network.num_classes != weights.num_classes:
        line += ', a new classifier for {} classes (theirs has {})'.format(
            network.num_classes, weights.num_classes)
    return line


def weights_mean_std(model: Union[str, torch.nn.Module], config: Mapping[str, Any]
                     ) -> Optional[Tuple[Tuple[float, ...], Tuple[float, ...]]]:
    """``(mean, std)`` the run's pre-trained weights expect, where the run
    normalises its input as they do (``normalize='pretrained'``)."""
    if config['normalize'] != 'pretrained':
        return None
    from chainvision.models.weights.pretrained import weights_config
    weights = weights_config(model, config['pretrained'])
    return weights.mean, weights.std


def input_shape(model: Union[str, torch.nn.Module]) -> Optional[Tuple[int, int, int]]:
    """``(C, H, W)`` the zoo model named ``model`` is registered for
    (``None`` for a model without one, or the caller's own module)."""
    if not isinstance(model, str):
        return None
    from chainvision import models
    return models.info(model).input_size


def build_predictor(model: Union[str, torch.nn.Module], model_kwargs: Mapping[str, Any],
                    num_classes: int, in_channels: int,
                    pretrained: Optional[str] = None) -> torch.nn.Module:
    """The network ``images (N, C, H, W) -> logits (N, num_classes)``: the
    zoo model named ``model`` (from ``pretrained`` weights where given), or
    ``model`` itself when it is a module."""
    if not isinstance(model, str):
        return model
    return create_zoo_model(model, model_kwargs, num_classes, in_channels, pretrained)


def materialize(predictor: torch.nn.Module, images: torch.Tensor) -> None:
    """Fix the shapes of lazy parameters (``L.Linear(None, n)``) with a
    forward pass on one of ``images``, before the optimizer, DDP and
    snapshots see them."""
    if any(isinstance(p, torch.nn.parameter.UninitializedParameter)
           for p in predictor.parameters()):
        with torch.no_grad():
            predictor(images[:1].float())


def _cross_entropy(y, t, label_smoothing):
    return torch.nn.functional.cross_entropy(y, t, label_smoothing=label_smoothing)


def build_classifier(predictor: torch.nn.Module, label_smoothing: float,
                     channels_last: bool) -> Classifier:
    """``L.Classifier`` around ``predictor`` (already on its device) with a
    label-smoothed cross-entropy and the accuracy; ``channels_last``
    converts the weights to NHWC."""
    if channels_last:
        predictor.to(memory_format=torch.channels_last)  # type: ignore[call-overload]
    return Classifier(predictor, lossfun=functools.partial(
        _cross_entropy, label_smoothing=label_smoothing), accfun=accuracy_function)
