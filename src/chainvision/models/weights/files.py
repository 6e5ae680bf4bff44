"""Where pre-trained weight files are found, and which format a file is.

Two folders: chainvision's own, ``$CHAINVISION_MODEL_ROOT`` (default
``~/.cache/chainvision/models``), where converted files are also written,
and Chainer's, ``$CHAINER_DATASET_ROOT/pfnet/chainer/models``, so the files a
Chainer installation already has are used as they are.
"""

import os

DEFAULT_MODEL_ROOT = os.path.join('~', '.cache', 'chainvision', 'models')


def get_model_root():
    """The folder where ``pretrained_model='auto'`` looks first and writes
    converted files: ``$CHAINVISION_MODEL_ROOT``, default
    ``~/.cache/chainvision/models`` (absolute; need not exist)."""
    root = os.environ.get('CHAINVISION_MODEL_ROOT') or DEFAULT_MODEL_ROOT
    return os.path.abspath(os.path.expanduser(root))


def get_chainer_model_root():
    """Chainer's folder of pre-trained models,
    ``$CHAINER_DATASET_ROOT/pfnet/chainer/models`` (default
    ``~/.chainer/dataset/pfnet/chainer/models``)."""
    root = os.environ.get('CHAINER_DATASET_ROOT') or os.path.join('~', '.chainer', 'dataset')
    return os.path.abspath(os.path.expanduser(os.path.join(root, 'pfnet', 'chainer', 'models')))


def weight_format(path):
    """The format of the weight file ``path``, by its extension:
    ``'caffe'`` (``.caffemodel``), ``'torchvision'`` (a ``state_dict``
    saved by ``torch.save``: ``.pth``, ``.pt``) or ``'npz'`` (anything
    else: Chainer's npz layout)."""
    lower = os.fspath(path).lower()
    if lower.endswith('.caffemodel'):
        return 'caffe'
    if lower.endswith(('.pth', '.pt')):
        return 'torchvision'
    return 'npz'
