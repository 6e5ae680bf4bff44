"""What this process runs on: the versions of chainvision, Python, PyTorch
and NumPy and the devices it sees (Chainer's ``print_runtime_info``)."""

import platform

import numpy
import torch


def runtime_info():
    """Return the versions and devices as a multi-line text, one
    ``'name   value'`` line each: chainvision, Python, PyTorch, NumPy, the CPU
    threads, whether CUDA is available and each CUDA device's name, and
    MPS when it is available."""
    import chainvision
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
    return '\n'.join(lines)


def print_runtime_info(out=None):
    """Print :func:`runtime_info` to ``out`` (default ``sys.stdout``), as
    Chainer's ``chainer.print_runtime_info`` does."""
    print(runtime_info(), file=out)
