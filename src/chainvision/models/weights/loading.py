"""Copying weight arrays into a network: the ``{npz key: array}`` view of a
model, the strict assignment that checks every key and size, renaming a
torchvision ``state_dict`` into npz keys, and building a network on the meta
device when its weights are about to be loaded.
"""

import collections
import contextlib

import numpy
import torch

from chainvision.link import chainer_path


def model_arrays(model):
    """``{npz key: tensor}`` of every parameter and array persistent of
    ``model`` (keys as in Chainer's npz files, e.g. ``'res2/a/bn1/avg_mean'``)."""
    arrays = collections.OrderedDict(
        (path.lstrip('/'), param) for path, param in model.namedparams())
    for name, buffer in model.named_buffers():
        arrays[chainer_path(name).lstrip('/')] = buffer
    return arrays


def _key_mismatch(expected, given):
    """``'missing a, b; unexpected c'`` (at most 8 of each), or ``''``
    when the keys of ``expected`` and ``given`` agree."""
    missing = [key for key in expected if key not in given]
    unexpected = [key for key in given if key not in expected]
    parts = ['{} {}'.format(word, ', '.join(keys[:8]) + (', ...' if len(keys) > 8 else ''))
             for word, keys in (('missing', missing), ('unexpected', unexpected)) if keys]
    return '; '.join(parts)


def assign_arrays(model, arrays, source):
    """Copy ``arrays`` (``{npz key: array}``, converted from ``source``)
    into ``model``: every parameter and array persistent must be given,
    nothing else, each with the model's number of elements (reshaped to the
    model's shape, as old Caffe files store 4-D blobs).

    Raises:
        ValueError: keys missing or left over, or a size mismatch; the
            message names them and ``source``.
    """
    targets = model_arrays(model)
    mismatch = _key_mismatch(targets, arrays)
    if mismatch:
        raise ValueError('{} does not fit {}: {}.'.format(source, type(model).__name__, mismatch))
    with torch.no_grad():
        for key, target in targets.items():
            array = numpy.asarray(arrays[key])
            if array.size != target.numel():
                raise ValueError('{}: {!r} has shape {}, {} expects {}.'.format(
                    source, key, array.shape, type(model).__name__, tuple(target.shape)))
            target.copy_(torch.from_numpy(numpy.ascontiguousarray(array, dtype=numpy.float32))
                         .reshape(target.shape))


def rename_state_dict(state_dict, names, model_name):
    """``{npz key: numpy array}`` from a torchvision ``state_dict`` and
    ``names`` (``{torchvision key: npz key}``).  BatchNorm's
    ``num_batches_tracked`` counters are dropped (Chainer has none).

    Raises:
        ValueError: a key of ``names`` is missing from the state_dict, or the
            state_dict has keys ``names`` does not know (another model's).
    """
    given = [key for key in state_dict if not key.endswith('num_batches_tracked')]
    mismatch = _key_mismatch(names, given)
    if mismatch:
        raise ValueError("Not a state_dict of torchvision's {}: {}.".format(model_name, mismatch))
    return {ours: state_dict[theirs].detach().cpu().numpy() for theirs, ours in names.items()}


@contextlib.contextmanager
def on_meta_device_if(pretrained_model):
    """Build a network inside this block on PyTorch's meta device when
    ``pretrained_model`` will overwrite every value
    (the loader then gives it CPU memory with ``to_empty``):
    random initialization of VGG-16's 138 million weights would be wasted
    work (Chainer uses a zero initializer there for the same reason)."""
    if pretrained_model:
        with torch.device('meta'):
            yield
    else:
        yield
