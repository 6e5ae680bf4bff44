"""Converting weight files: any file :mod:`~chainvision.app.weight_files`
reads (a chainvision checkpoint, torchvision's or timm's state dict, a Caffe
model, Chainer's npz) written as a chainvision checkpoint in one of its
containers (what ``chainvision convert SRC DST`` does).

================  =========================================================
DST suffix        written as
================  =========================================================
``.pt``           torch's weights-only format
``.safetensors``  safetensors, the description in its metadata
``.npz``          Chainer's npz (``chainer.serializers.load_npz`` reads it
                  into the same network), the description under one key
================  =========================================================

Each keeps the network's description (model, keyword arguments, class
names, input shape and normalisation), so :func:`chainvision.load`,
``chainvision eval``, ``predict`` and ``export`` read the result alone.
Caffe's models and torchvision's layout are read, never written.
"""

import os
from typing import Any, Dict, Optional

from chainvision.app.checkpoint import WEIGHTS_FORMATS, save_checkpoint
from chainvision.app.weight_files import read_network


def convert(source, destination, model: Optional[str] = None,
            **model_kwargs) -> Dict[str, Any]:
    """Write the weights of ``source`` to ``destination`` (atomically) in
    the container its suffix names (see the module docstring).

    Args:
        source: a weight file or a run folder
            (:func:`~chainvision.app.weight_files.read_network`).
        destination: a ``.pt``, ``.safetensors`` or ``.npz`` file.
        model: the zoo model a file other than a checkpoint holds.
        model_kwargs: for ``model`` (``num_classes``...).

    Returns:
        the description written with the weights.

    Raises:
        ValueError: ``destination`` of another suffix, or a ``source`` that
            does not fit ``model``; the message names the file.
        FileNotFoundError: no ``source``.
    """
    destination = os.fspath(destination)
    if not destination.lower().endswith(tuple(WEIGHTS_FORMATS.values())):
        raise ValueError('{}: convert writes {} files (a chainvision checkpoint in torch\'s, '
                         'safetensors\' or Chainer\'s container), not Caffe\'s or '
                         'torchvision\'s layouts.'.format(destination,
                                                          ', '.join(WEIGHTS_FORMATS.values())))
    network, description = read_network(source, model, **model_kwargs)
    save_checkpoint(destination, network, description)
    return description
