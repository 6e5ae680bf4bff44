"""``chainvision info``: versions, devices and the dataset root."""

import os
import platform

import numpy
import torch

import chainvision


def runtime_info():
    """Return a multi-line text with versions, devices and the dataset root."""
    from chainvision.datasets.root import get_dataset_root
    lines = [
        'chainvision      {}'.format(chainvision.__version__),
        'Python           {}'.format(platform.python_version()),
        'PyTorch          {}'.format(torch.__version__),
        'NumPy            {}'.format(numpy.__version__),
        'CPU threads      {}'.format(torch.get_num_threads()),
        'CUDA available   {}'.format(torch.cuda.is_available()),
    ]
    for index in range(torch.cuda.device_count()):
        lines.append('  cuda:{}         {}'.format(index, torch.cuda.get_device_name(index)))
    if getattr(torch.backends, 'mps', None) is not None and torch.backends.mps.is_available():
        lines.append('MPS available    True')
    root = get_dataset_root()
    source = ('$CHAINVISION_DATASET_ROOT' if os.environ.get('CHAINVISION_DATASET_ROOT')
              else 'default')
    lines.append('Dataset root     {} ({}{})'.format(
        root, source, '' if os.path.isdir(root) else ', does not exist yet'))
    return '\n'.join(lines)


def register(subparsers):
    """Add the ``info`` sub-command."""
    parser = subparsers.add_parser('info', help='print versions, devices and the dataset root')
    parser.set_defaults(func=lambda args: print(runtime_info()))
