"""Self-describing model checkpoints (``best.pt``, ``last.pt``).

A checkpoint holds the model's registry name and keyword arguments, the
class names, the input normalisation and the ``state_dict``, so ``chainvision
eval`` and ``predict`` rebuild the model from the file alone.  It comes in
three containers, chosen by the file's suffix (``train --weights-format``):

================  ============================================================
``.pt``           ``torch.save`` of a dict of plain values and tensors, loaded
                  with ``torch.load(weights_only=True)`` (never runs code)
``.safetensors``  the ``state_dict`` as safetensors (which cannot hold code),
                  the description as JSON in its metadata
                  (``chainvision_checkpoint``)
``.npz``          Chainer's npz: the network as Chainer's ``save_npz`` writes
                  it (``'res2/a/conv1/W'``; ``chainer.serializers.load_npz``
                  reads it into the same network), the description as a JSON
                  string under the key ``chainvision_checkpoint``
================  ============================================================
"""

import json
import os
import zipfile
import zlib
from typing import Any, Dict, Mapping, Optional, Tuple

import numpy
import torch

from chainvision import models
from chainvision.app import model as model_module
from chainvision.link import Link
from chainvision.serializers import UnreadableFileError, load_torch_file, save_npz, serialize
from chainvision.utils.atomic import atomic_write

CHECKPOINT_FORMAT = 'chainvision-checkpoint-1'
# train --weights-format: the file suffix of each container.
WEIGHTS_FORMATS = {'pt': '.pt', 'safetensors': '.safetensors', 'npz': '.npz'}
# Where a safetensors or npz file keeps the description.
DESCRIPTION_KEY = 'chainvision_checkpoint'


def save_checkpoint(path: str, model: torch.nn.Module, description: Mapping[str, Any]) -> None:
    """Write a checkpoint of ``model`` to ``path`` (atomically), in the
    container its suffix names (``.pt``, ``.safetensors`` or ``.npz``; see
    the module docstring).

    Args:
        path: the file, e.g. ``RUN/best.pt``.
        model: the network (not the loss wrapper); its tensors are saved
            on the CPU.
        description: ``model`` (registry name or None), ``model_kwargs``,
            ``class_names``, ``image_shape``, ``mean``, ``std`` and any other
            plain values worth keeping (epoch, accuracy); JSON-able for
            ``.safetensors`` and ``.npz``.
    """
    path = os.fspath(path)
    description = dict(description, format=CHECKPOINT_FORMAT)
    suffix = _suffix(path)
    if suffix == '.npz':
        # Chainer's whole layout (BatchNormalization's N too), which its
        # load_npz asks for.
        arrays = serialize(model)
        arrays[DESCRIPTION_KEY] = numpy.array(_to_json(description))
        save_npz(path, arrays)
        return
    state = {key: value.detach().cpu() for key, value in model.state_dict().items()}
    if suffix == '.pt':
        with atomic_write(path) as f:
            torch.save(dict(description, state_dict=state), f)
        return
    from safetensors.torch import save
    data = save({key: value.contiguous() for key, value in state.items()},
                metadata={DESCRIPTION_KEY: _to_json(description)})
    with atomic_write(path) as f:
        f.write(data)


def _suffix(path):
    """The container of ``path``: ``'.safetensors'``, ``'.npz'``, or
    ``'.pt'`` (torch's format: ``.pt``, ``.pth`` and any other name)."""
    lower = path.lower()
    return next((suffix for suffix in ('.safetensors', '.npz') if lower.endswith(suffix)), '.pt')


def _to_json(description):
    return json.dumps(description, default=lambda value: value.tolist())


def checkpoint_file(folder: str, stem: str = 'best') -> str:
    """The checkpoint ``stem`` (``'best'`` or ``'last'``) of the run folder
    ``folder``, in whichever container it was written (``stem.pt`` when
    there is none)."""
    candidates = [os.path.join(folder, stem + suffix) for suffix in WEIGHTS_FORMATS.values()]
    return next((path for path in candidates if os.path.exists(path)), candidates[0])


def run_checkpoint(folder: str) -> str:
    """The checkpoint that stands for the run folder ``folder``: its
    ``best`` one, or its ``last`` one where the run kept no best (a run
    without a validation split)."""
    best = checkpoint_file(folder, 'best')
    last = checkpoint_file(folder, 'last')
    return last if not os.path.exists(best) and os.path.exists(last) else best


def weights_path(given, files: str = 'a .pt, .safetensors or .npz file written by '
                 'chainvision train') -> str:
    """The weight file that ``given`` stands for: a run folder's checkpoint
    (:func:`run_checkpoint`), or ``given`` itself.

    Raises:
        FileNotFoundError: there is none; the message says what to pass
            instead (``files``: which files the caller also takes): a run
            that got further, a run folder rather than a zoo model's name.
    """
    given = path = os.fspath(given)
    if os.path.isdir(path):
        path = run_checkpoint(path)
    if os.path.isfile(path):
        return path
    if os.path.isdir(given):
        raise FileNotFoundError(
            '{0} holds no checkpoint: a run writes best.pt at each validation that improves and '
            'last.pt when it ends; pass a run that got that far, or continue this one with '
            'chainvision train --resume {0}'.format(given))
    message = 'No checkpoint at {}: pass a run folder (with best.pt) or {}'.format(given, files)
    if given in models.names():
        message += ("; '{0}' is a model of the zoo, not trained weights: train it first "
                    '(chainvision train {0} --dataset DATA) and pass its run folder'.format(given))
    raise FileNotFoundError(message + '.')


def read_weight_file(path: str, what: str = 'a chainvision checkpoint'
                     ) -> Tuple[Optional[Dict[str, Any]], Dict[str, torch.Tensor]]:
    """``(description, state_dict)`` of a ``.pt``/``.pth``, ``.safetensors``
    or ``.npz`` file: the description is ``None`` for a file that is not a
    chainvision checkpoint (a bare state dict, Chainer's npz), whose tensors
    come under their own keys (an npz file's with ``/`` turned into ``.``).
    ``what`` says what the file should be, for the errors.

    Raises:
        FileNotFoundError: no such file.
        chainvision.serializers.UnreadableFileError: the file is truncated,
            corrupt or of another format, or holds more than tensors and
            plain values (it is then refused, not run).
    """
    suffix = _suffix(path)
    if not os.path.isfile(path):
        raise FileNotFoundError('No weight file at {}.'.format(path))
    if suffix == '.pt':
        payload = load_torch_file(path, what)
        if not isinstance(payload, dict):
            raise UnreadableFileError(path, 'holds a {}, not {}'.format(
                type(payload).__name__, what))
        if payload.get('format') != CHECKPOINT_FORMAT:
            return None, payload
        state = payload.pop('state_dict', {})
        return payload, state
    if suffix == '.safetensors':
        return _read_safetensors(path)
    return _read_npz(path)


def _read_safetensors(path):
    from safetensors import SafetensorError, safe_open
    try:
        with safe_open(path, 'pt') as f:
            metadata = f.metadata() or {}
            state = {key: f.get_tensor(key) for key in f.keys()}
    except (SafetensorError, OSError) as error:
        raise UnreadableFileError(path, 'is truncated or corrupt (it is not a safetensors file '
                                        'that can be read: {})'.format(error)) from error
    return _description(path, metadata.get(DESCRIPTION_KEY)), state


def _read_npz(path):
    try:
        with numpy.load(path, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
    except (zipfile.BadZipFile, zlib.error, ValueError, OSError, EOFError) as error:
        raise UnreadableFileError(path, 'is not an NPZ file, or is truncated or corrupt '
                                        '({})'.format(error)) from error
    description = arrays.pop(DESCRIPTION_KEY, None)
    state = {key.replace('/', '.'): torch.from_numpy(value) for key, value in arrays.items()}
    return _description(path, None if description is None else str(description)), state


def _description(path, text):
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError as error:
        raise UnreadableFileError(path, 'has a damaged description ({})'.format(
            error)) from error


def load_checkpoint(path) -> Dict[str, Any]:
    """Load a checkpoint written by :func:`save_checkpoint`, from any of
    its containers.

    ``torch.load(..., weights_only=True)`` for ``.pt``: loading never runs
    code from the file.  ``path`` may be a run folder (its ``best`` file is
    used).

    Returns:
        dict with ``state_dict`` and the description (see ``save_checkpoint``).

    Raises:
        FileNotFoundError: no such file or run folder.
        chainvision.serializers.UnreadableFileError: the file is truncated
            or corrupt, or holds more than tensors and plain values (it is
            then refused, not run).
        ValueError: a readable file that is not a chainvision checkpoint.
    """
    path = weights_path(path)
    try:
        description, state = read_weight_file(path)
    except UnreadableFileError as error:
        raise UnreadableFileError(path, error.problem + _others_beside(path)) from error
    if description is None or description.get('format') != CHECKPOINT_FORMAT:
        raise ValueError('{} is not a chainvision checkpoint (no {!r} format tag); a bare '
                         'state_dict needs the model built by hand and '
                         'load_state_into(model, state_dict), or chainvision.load(path, '
                         'model=NAME).'.format(path, CHECKPOINT_FORMAT))
    return dict(description, state_dict=state)


def _others_beside(path):
    others = sorted(name for name in os.listdir(os.path.dirname(os.path.abspath(path)))
                    if name.endswith(tuple(WEIGHTS_FORMATS.values()))
                    and name != os.path.basename(path))
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
    (PyTorch's own message stops at the first shape mismatch).  Chainer's
    scalar persistent values (BatchNormalization's ``N``), which an npz
    file holds and a ``state_dict`` does not, are skipped."""
    scalars = set(_scalar_persistent_keys(model))
    state_dict = {key: value for key, value in state_dict.items() if key not in scalars}
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


def _scalar_persistent_keys(model):
    for prefix, module in model.named_modules():
        if isinstance(module, Link):
            buffers = dict(module.named_buffers(recurse=False))
            for name in module.persistent_names():
                if name not in buffers:
                    yield prefix + '.' + name if prefix else name
