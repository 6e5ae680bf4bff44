"""Self-describing model checkpoints (``best.pt``, ``last.pt``).

A checkpoint is a dict of plain types and tensors (loadable with
``torch.load(weights_only=True)``) that holds the model's registry name and
keyword arguments, the class names, the input normalisation and the
``state_dict``, so ``chainvision eval`` and ``predict`` rebuild the model
from the file alone.
"""

import os
from typing import Any, Dict, Mapping

import torch

from chainvision.app import model as model_module
from chainvision.serializers import UnreadableFileError, load_torch_file
from chainvision.utils.atomic import atomic_write

CHECKPOINT_FORMAT = 'chainvision-checkpoint-1'


def save_checkpoint(path: str, model: torch.nn.Module, description: Mapping[str, Any]) -> None:
    """Write a checkpoint of ``model`` to ``path`` (atomically).

    Args:
        path: the file, e.g. ``RUN/best.pt``.
        model: the network (not the loss wrapper); its tensors are saved
            on the CPU.
        description: ``model`` (registry name or None), ``model_kwargs``,
            ``class_names``, ``image_shape``, ``mean``, ``std`` and any other
            plain values worth keeping (epoch, accuracy).
    """
    state = {key: value.detach().cpu() for key, value in model.state_dict().items()}
    payload = dict(description, format=CHECKPOINT_FORMAT, state_dict=state)
    with atomic_write(path) as f:
        torch.save(payload, f)


def load_checkpoint(path) -> Dict[str, Any]:
    """Load a checkpoint written by :func:`save_checkpoint`.

    ``torch.load(..., weights_only=True)``: loading never runs code from
    the file.  ``path`` may be a run folder (its ``best.pt`` is used).

    Returns:
        dict with ``state_dict`` and the description (see ``save_checkpoint``).

    Raises:
        FileNotFoundError: no such file or run folder.
        chainvision.serializers.UnreadableFileError: the file is truncated
            or corrupt, or holds more than tensors and plain values (it is
            then refused, not run).
        ValueError: a readable file that is not a chainvision checkpoint.
    """
    path = os.fspath(path)
    if os.path.isdir(path):
        path = os.path.join(path, 'best.pt')
    if not os.path.exists(path):
        raise FileNotFoundError('No checkpoint at {}: pass a run folder (with best.pt) or a '
                                '.pt file written by chainvision train.'.format(path))
    try:
        payload = load_torch_file(path, 'a chainvision checkpoint')
    except UnreadableFileError as error:
        raise UnreadableFileError(path, error.problem + _others_beside(path)) from error
    if not isinstance(payload, dict) or payload.get('format') != CHECKPOINT_FORMAT:
        raise ValueError('{} is not a chainvision checkpoint (no {!r} format tag); a bare '
                         'state_dict needs the model built by hand and '
                         'load_state_into(model, state_dict).'.format(path, CHECKPOINT_FORMAT))
    return payload


def _others_beside(path):
    others = sorted(name for name in os.listdir(os.path.dirname(os.path.abspath(path)))
                    if name.endswith('.pt') and name != os.path.basename(path))
    if not others:
        return '; no other checkpoint is beside it: train the model again'
    return '; {} beside it may still be read: pass that instead'.format(' or '.join(others))


def model_from_checkpoint(checkpoint: Mapping[str, Any]) -> torch.nn.Module:
    """Rebuild the zoo model a checkpoint describes and load its weights.

    Args:
        checkpoint: from :func:`load_checkpoint`.

    Returns:
        torch.nn.Module on the CPU, in the state it was saved in.
    """
    if checkpoint.get('model') is None:
        raise ValueError('This checkpoint holds a model that is not in the zoo: build the model '
                         'yourself and call load_state_into(model, checkpoint["state_dict"]).')
    model = model_module.create_zoo_model(checkpoint['model'], checkpoint['model_kwargs'],
                                          len(checkpoint['class_names']),
                                          checkpoint['image_shape'][0])
    load_state_into(model, checkpoint['state_dict'])
    return model


def load_state_into(model: torch.nn.Module, state_dict: Mapping[str, torch.Tensor],
                    source: str = 'checkpoint') -> None:
    """Copy ``state_dict`` into ``model``, or raise a ``ValueError`` that
    lists the missing keys, the unexpected keys and the shape mismatches
    (PyTorch's own message stops at the first shape mismatch)."""
    own = model.state_dict()
    missing = sorted(set(own) - set(state_dict))
    unexpected = sorted(set(state_dict) - set(own))
    mismatched = ['{}: model {} vs {} {}'.format(key, tuple(own[key].shape), source,
                                                 tuple(state_dict[key].shape))
                  for key in sorted(set(own) & set(state_dict))
                  if own[key].shape != state_dict[key].shape]
    if missing or unexpected or mismatched:
        lines = ['The {} does not fit the model ({}):'.format(source, type(model).__name__)]
        for title, items in (('missing keys', missing), ('unexpected keys', unexpected),
                             ('shape mismatches', mismatched)):
            if items:
                lines.append('  {} ({}): {}'.format(title, len(items), ', '.join(items)))
        raise ValueError('\n'.join(lines))
    model.load_state_dict(state_dict)
