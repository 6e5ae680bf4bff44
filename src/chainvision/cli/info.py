"""``chainvision info``: versions, devices, the native kernels and the
dataset root."""

import os

from chainvision import native
from chainvision.dataset.download import get_dataset_root
from chainvision.runtime import runtime_info


def info_text():
    """:func:`~chainvision.runtime.runtime_info`, whether the native CPU
    kernels run here (and why not), and the dataset root (where it comes
    from, and whether it exists yet)."""
    root = get_dataset_root()
    source = ('$CHAINVISION_DATASET_ROOT' if os.environ.get('CHAINVISION_DATASET_ROOT')
              else 'default')
    reason = native.unavailable_reason('batch_norm')
    kernels = 'in use (BatchNorm-add-ReLU)' if reason is None else 'not used: ' + reason
    return '{}\nNative kernels   {}\nDataset root     {} ({}{})'.format(
        runtime_info(), kernels, root, source, '' if os.path.isdir(root) else
        ', does not exist yet')


def register(subparsers):
    """Add the ``info`` sub-command."""
    parser = subparsers.add_parser('info', help='print versions, devices and the dataset root')
    parser.set_defaults(func=lambda args: print(info_text()))
