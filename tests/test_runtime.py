"""chainvision.print_runtime_info (Chainer's) prints the versions and the
devices, one line each."""

import io
import platform

import numpy
import torch

import chainvision


def test_print_runtime_info_names_each_version_and_the_devices():
    out = io.StringIO()
    chainvision.print_runtime_info(out)
    lines = out.getvalue().splitlines()
    assert lines[:6] == [
        'chainvision      {}'.format(chainvision.__version__),
        'Python           {}'.format(platform.python_version()),
        'PyTorch          {}'.format(torch.__version__),
        'NumPy            {}'.format(numpy.__version__),
        'CPU threads      {}'.format(torch.get_num_threads()),
        'CUDA available   {}'.format(torch.cuda.is_available()),
    ]
    assert len(lines) == 6 + torch.cuda.device_count() + int(torch.backends.mps.is_available())
