"""``models.create(name, pretrained=...)``: a zoo network built for a
published weight file and loaded from it.

``pretrained`` is a tag (``'resnet50.tv_in1k'``, see
:mod:`~chainvision.models.weights.tags`), ``'auto'`` (the model's default
tag), or a path: torchvision's or timm's state dict (``.pth``, ``.pt``,
``.safetensors``), a Caffe ``.caffemodel`` or Chainer's npz conversion of
one.  A path whose name is a tag's file is read with that tag's settings;
another path with those of the model's torchvision tag (state dicts) or
Caffe tag (``.caffemodel``, ``.npz``).

A tag or ``'auto'`` looks for the file in ``$CHAINVISION_MODEL_ROOT``
(default ``~/.cache/chainvision/models``) and, for Caffe's files, in
Chainer's folder; a missing file is downloaded from its address when there
is one and the machine is online (checked with a 3-second connection, so an
offline machine never waits longer), otherwise the error names the file, its
address, its checksum and the folder to put it in.
"""

import os
import socket
import urllib.parse
import warnings
from typing import Any, Callable, Dict, Mapping, Tuple

import numpy
import torch

from chainvision.models.weights.caffemodel import read_caffemodel
from chainvision.models.weights.files import get_chainer_model_root, get_model_root
from chainvision.models.weights.loading import assign_arrays, model_arrays
from chainvision.models.weights.tags import (
    DEFAULT_TAGS, PRETRAINED, PretrainedConfig, pretrained_config)
from chainvision.serializers import load_torch_file

STATE_DICT_SUFFIXES = ('.pth', '.pt', '.safetensors')


def resolve(name: str, pretrained) -> Tuple[str, PretrainedConfig]:
    """``(path of the weight file, its PretrainedConfig)`` for the zoo model
    ``name`` and ``pretrained`` (a tag, ``'auto'`` or a path; see the
    module docstring).

    Raises:
        FileNotFoundError: a tag's file is neither present nor downloadable
            now, or a path does not exist.
        KeyError: an unknown tag.
        ValueError: weights of another model, or a format the model has no
            published weights in.
    """
    config = weights_config(name, pretrained)
    pretrained = os.fspath(pretrained)
    if pretrained == 'auto' or pretrained in PRETRAINED:
        return find_or_download(config), config
    return pretrained, config


def weights_config(name: str, pretrained) -> PretrainedConfig:
    """The :class:`PretrainedConfig` of ``pretrained`` (a tag, ``'auto'``
    or a path) for the zoo model ``name``, without reading the weights: what
    they were trained on, how their input is normalised.

    Raises:
        FileNotFoundError: a path that does not exist.
        KeyError: an unknown tag.
        ValueError: weights of another model, or a format the model has no
            published weights in.
    """
    pretrained = os.fspath(pretrained)
    if pretrained == 'auto' and name not in DEFAULT_TAGS:
        raise ValueError("{} has no published weights for pretrained='auto'; these models have: "
                         '{}.'.format(name, ', '.join(sorted(DEFAULT_TAGS))))
    if pretrained == 'auto' or pretrained in PRETRAINED:
        config = pretrained_config(name if pretrained == 'auto' else pretrained)
        if config.model != name:
            raise ValueError('{} holds weights for {}, not {}.'.format(
                config.tag, config.model, name))
        return config
    if not os.path.isfile(pretrained):
        raise FileNotFoundError('No weight file at {} (pretrained= takes a path, a tag such as '
                                '{}, or \'auto\').'.format(pretrained, DEFAULT_TAGS.get(
                                    name, 'resnet50.tv_in1k')))
    return _config_for_file(name, pretrained)


def _config_for_file(name, path):
    base = os.path.basename(path)
    for config in PRETRAINED.values():
        if base == config.file_name or base in config.alternative_files:
            if config.model != name:
                raise ValueError('{} is {}, weights for {}, not {}.'.format(
                    path, config.tag, config.model, name))
            return config
    layout = 'torchvision' if path.lower().endswith(STATE_DICT_SUFFIXES) else 'caffe'
    for tag in sorted(PRETRAINED):
        if PRETRAINED[tag].model == name and PRETRAINED[tag].layout == layout:
            return PRETRAINED[tag]
    raise ValueError('{} has no published {} weights, so {} cannot be read for it.'.format(
        name, 'torchvision' if layout == 'torchvision' else 'Caffe', path))


def find_or_download(config: PretrainedConfig) -> str:
    """The path of ``config``'s file: found in the model folders, or
    downloaded into ``$CHAINVISION_MODEL_ROOT`` (see the module docstring)."""
    root = get_model_root()
    folders = [root] + ([get_chainer_model_root()] if config.layout == 'caffe' else [])
    for file_name in (config.file_name,) + config.alternative_files:
        for folder in folders:
            if os.path.isfile(os.path.join(folder, file_name)):
                return os.path.join(folder, file_name)
    path = os.path.join(root, config.file_name)
    if config.url is None or not _reachable(config.url):
        raise FileNotFoundError(
            '{} needs {}{}; looked in {}.\n  official address: {}\n  checksum: {}\n'
            '  put the file into: {} (or set $CHAINVISION_MODEL_ROOT), or pass '
            'pretrained=<path to the file>.'.format(
                config.tag, config.file_name,
                ' (or {})'.format(', '.join(config.alternative_files))
                if config.alternative_files else '', ', '.join(folders),
                config.url or config.page + ' (no direct download)',
                config.checksum or 'none published', root))
    _download(config, path)
    return path


def _reachable(url, timeout=3.0):
    parts = urllib.parse.urlsplit(url)
    try:
        with socket.create_connection(
                (parts.hostname, parts.port or (443 if parts.scheme == 'https' else 80)), timeout):
            return True
    except OSError:
        return False


def _download(config, path):
    import hashlib
    os.makedirs(os.path.dirname(path), exist_ok=True)
    algorithm, digest = (config.checksum or ':').split(':')
    # torch.hub checks a SHA-256 prefix itself and leaves no partial file.
    torch.hub.download_url_to_file(config.url, path,
                                   hash_prefix=digest if algorithm == 'sha256' else None)
    if algorithm == 'sha1':
        with open(path, 'rb') as f:
            actual = hashlib.sha1(f.read()).hexdigest()
        if actual != digest:
            os.remove(path)
            raise ValueError('Downloaded {} has SHA-1 {}, not the published {}.'.format(
                config.url, actual, digest))


def read_arrays(model, path: str) -> Dict[str, numpy.ndarray]:
    """``{npz key: array}`` of ``model`` from the weight file ``path``, by
    its format: a state dict (``.pth``, ``.pt``: read with
    ``weights_only``; ``.safetensors``), a ``.caffemodel``, or Chainer's
    npz (``allow_pickle=False``).  Caffe's first convolution is still BGR.

    Raises:
        ValueError: the file is unreadable or another network's; the
            message names it.
    """
    lower = path.lower()
    if lower.endswith('.safetensors'):
        from safetensors import SafetensorError
        from safetensors.torch import load_file
        try:
            state_dict = load_file(path)
        except (SafetensorError, OSError) as error:
            raise ValueError('{} is not a readable safetensors file: {}'.format(
                path, error)) from None
        return model.torchvision_arrays(state_dict)
    if lower.endswith(('.pth', '.pt')):
        return model.torchvision_arrays(load_torch_file(path, 'a torchvision or timm state_dict'))
    if lower.endswith('.caffemodel'):
        return model.caffe_arrays(read_caffemodel(path))
    try:
        with numpy.load(path, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
    except (ValueError, OSError, EOFError) as error:
        raise ValueError('{} is not a readable npz file: {}'.format(path, error)) from None
    # Chainer's GoogLeNet files hold the auxiliary classifiers, which a zoo
    # GoogLeNet built without them does not take.
    own = model_arrays(model)
    return {key: value for key, value in arrays.items()
            if key in own or not key.startswith(('loss1_', 'loss2_'))}


def load_into(model, path: str, config: PretrainedConfig) -> None:
    """Copy the weights of ``path`` (laid out as ``config`` says) into
    ``model``.  Caffe's BGR first convolution is turned to RGB.  Classifier
    weights whose shape differs from the model's (another ``num_classes``)
    are skipped with one warning: the model keeps its own initialisation
    there, as timm does."""
    arrays = read_arrays(model, path)
    targets = model_arrays(model)
    if config.layout == 'caffe':
        # The first weight registered is the first convolution's.
        first = next(key for key in targets if key.endswith('/W'))
        arrays[first] = numpy.ascontiguousarray(numpy.asarray(arrays[first])[:, ::-1])
    head = tuple(link + '/' for link in model.head_links)
    kept = [key for key, target in targets.items() if key.startswith(head) and key in arrays
            and numpy.asarray(arrays[key]).size != target.numel()]
    if kept:
        warnings.warn('{}: the weights have {} classes, the model {}: {} keep their random '
                      'initialisation.'.format(config.tag, config.num_classes, model.num_classes,
                                               ', '.join(kept)), stacklevel=3)
        for key in kept:
            arrays[key] = targets[key].detach().cpu().numpy()
    assign_arrays(model, arrays, path)


def build_pretrained(name: str, builder: Callable, pretrained,
                     hparams: Mapping[str, Any]):
    """Build the zoo model ``name`` with ``builder`` for the weights
    ``pretrained`` (the tag's hyper-parameters, overridden by ``hparams``)
    and load them.  Built on the meta device when every value will be
    overwritten (no random initialisation of VGG-16's 138 million weights)."""
    path, config = resolve(name, pretrained)
    hparams = dict(config.hparams, **hparams)
    if hparams.get('num_classes', config.num_classes) == config.num_classes:
        with torch.device('meta'):
            model = builder(**hparams)
        model.to_empty(device='cpu')
    else:
        model = builder(**hparams)
    load_into(model, path, config)
    model.pretrained_config = config
    return model
