"""Any weight file as a zoo network with the description a checkpoint
carries (model, keyword arguments, class names, input shape and
normalisation): what :func:`chainvision.load` and ``chainvision convert``
read.

====================================  ==========================================
file                                  read as
====================================  ==========================================
a chainvision checkpoint (``.pt``,    its own description
``.safetensors``, ``.npz``), or a     (:mod:`~chainvision.app.checkpoint`)
run folder (its ``best``)
torchvision's or timm's state dict    ``models.create(model, pretrained=path)``:
(``.pth``/``.pt``, ``.safetensors``)  the family's layout
                                      (:mod:`chainvision.models.weights`), with
                                      ImageNet's classes and normalisation
a Caffe ``.caffemodel``               the same, in Caffe's layout
Chainer's npz                         a family with Caffe weights: Chainer's
                                      conversion of them (as ``pretrained=``);
                                      any other: by its keys, as ``load_npz``
a state dict of the zoo network       by its keys (``'stage1.0.conv1.W'``)
====================================  ==========================================

Every file but a checkpoint needs the zoo ``model`` it holds.  A file read
by its keys has classes ``'0'``, ``'1'``... and takes pixels / 255 (the file
does not say more).
"""

import os
from typing import Any, Dict, Optional, Tuple

import torch

from chainvision import models
from chainvision.app import checkpoint
from chainvision.models.weights import imagenet_class_names, pretrained_config, pretrained_tags


def read_network(path, model: Optional[str] = None, **model_kwargs
                 ) -> Tuple[torch.nn.Module, Dict[str, Any]]:
    """``(network, description)`` of the weight file ``path`` (see the
    module docstring for the formats).

    Args:
        path: a weight file or a run folder.
        model: the zoo model a file other than a checkpoint holds (for a
            checkpoint: ``None``, or the model it holds).
        model_kwargs: for ``model``: ``num_classes`` (another number than
            published weights' keeps a freshly initialised classifier, with
            a warning), ``in_channels`` and builder hyper-parameters.

    Returns:
        the network (on the CPU, in training mode) and the description
        :func:`~chainvision.app.checkpoint.save_checkpoint` takes.

    Raises:
        FileNotFoundError: no such file.
        ValueError: a file that does not fit ``model``, or no ``model`` for
            a file that does not name its network; the message names the
            file.
        chainvision.serializers.UnreadableFileError: (a ``ValueError``) a
            truncated or corrupt file, named.
    """
    path = checkpoint.weights_path(path, 'a weight file (a chainvision checkpoint, a state '
                                         'dict, Chainer npz, a Caffe model)')
    if path.lower().endswith('.caffemodel'):
        description, state = None, {}
    else:
        description, state = checkpoint.read_weight_file(
            path, 'a chainvision checkpoint or a state dict')
    if description is not None:
        if model is not None and model != description.get('model'):
            raise ValueError('{} is a checkpoint of {}, not {}.'.format(
                path, description.get('model'), model))
        return checkpoint.model_from_checkpoint(dict(description, state_dict=state)), description
    if model is None:
        raise ValueError('{} holds weights without their network: pass the zoo model they are '
                         "for, e.g. chainvision.load(path, model='resnet20') or --model "
                         'resnet20.'.format(path))
    if _read_by_keys(path, state, model, model_kwargs):
        network = models.create(model, **model_kwargs)
        checkpoint.load_state_into(network, state, source=path)
        return network, _described(network, model, model_kwargs, path)
    try:
        network = models.create(model, pretrained=path, **model_kwargs)
    except ValueError as error:
        if path in str(error):
            raise
        raise ValueError('{} does not fit {}: {}'.format(path, model, error)) from error
    kwargs = dict(network.pretrained_config.hparams, **model_kwargs)
    return network, _described(network, model, kwargs, path)


def pretrained_settings(network) -> Dict[str, Any]:
    """What the published weights of a zoo network say about its input
    and output: ``mean``, ``std`` and ``input_shape`` of its
    ``pretrained_config``, and ``class_names`` (ImageNet-1k's, for weights
    tagged ``in1k`` whose classifier the network kept); ``{}`` for a network
    built without published weights."""
    config = getattr(network, 'pretrained_config', None)
    if config is None:
        return {}
    settings = {'mean': config.mean, 'std': config.std, 'input_shape': config.input_size}
    if config.tag.endswith('_in1k') and getattr(network, 'num_classes', None) == config.num_classes:
        settings['class_names'] = imagenet_class_names()
    return settings


def _read_by_keys(path, state, model, model_kwargs):
    """Whether the file is read by its keys rather than by a published
    layout: an npz file unless the family has Caffe weights (their Chainer
    conversion is read as ``pretrained=`` reads it); a state dict whose
    keys are the network's own, or of a family with no published state
    dicts; never a caffemodel."""
    layouts = {pretrained_config(tag).layout for tag in pretrained_tags(model)}
    lower = path.lower()
    if lower.endswith('.caffemodel'):
        return False
    if lower.endswith('.npz'):
        return 'caffe' not in layouts
    if not layouts & {'torchvision', 'timm'}:
        return True
    with torch.device('meta'):
        own = models.create(model, **model_kwargs).state_dict()
    return set(own) == set(state)


def _described(network, model, model_kwargs, path):
    settings = pretrained_settings(network)
    config = getattr(network, 'pretrained_config', None)
    shape = settings.get('input_shape') or models.info(model).input_size
    return {'model': model,
            'model_kwargs': {k: v for k, v in model_kwargs.items()
                             if k not in ('num_classes', 'in_channels')},
            'class_names': list(settings.get('class_names')
                                or [str(i) for i in range(network.num_classes)]),
            'image_shape': [network.in_channels] + list(shape[1:]),
            'mean': list(settings['mean']) if 'mean' in settings else None,
            'std': list(settings['std']) if 'std' in settings else None,
            'dataset': None, 'source': os.path.basename(path),
            'pretrained': config.tag if config is not None else None}
