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
    return '{}\nNative kernels   {}\nDataset root     {} ({}{})'.format(
        runtime_info(), _kernels_text(), root, source, '' if os.path.isdir(root) else
        ', does not exist yet')


def _kernels_text():
    """Which native kernels run here, and why the others do not."""
    reasons = {name: native.unavailable_reason(name) for name in native.KERNELS}
    used = [native.KERNELS[name] for name, reason in reasons.items() if reason is None]
    unused = sorted({reason for reason in reasons.values() if reason is not None})
    text = 'in use ({})'.format(', '.join(used)) if used else ''
    if unused:
        text += ('; ' if used else '') + 'not used: ' + '; '.join(unused)
    return text


def register(subparsers):
    """Add the ``info`` sub-command."""
    parser = subparsers.add_parser('info', help='print versions, devices and the dataset root')
    parser.set_defaults(func=lambda args: print(info_text()))
