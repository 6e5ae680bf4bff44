"""chainvision.print_runtime_info (Chainer's) prints the versions and the
devices, one ``name   value`` line each."""

import io
import platform
import re

import numpy
import torch

import chainvision


def test_print_runtime_info_names_each_version_and_the_devices():
    out = io.StringIO()
    chainvision.print_runtime_info(out)
    rows = [re.split(r'\s{2,}', line.strip()) for line in out.getvalue().splitlines()]
    assert dict(rows[:6]) == {
        'chainvision': chainvision.__version__,
        'Python': platform.python_version(),
        'PyTorch': torch.__version__,
        'NumPy': numpy.__version__,
        'CPU threads': str(torch.get_num_threads()),
        'CUDA available': str(torch.cuda.is_available()),
    }
    assert [name for name, _ in rows[6:]] == (
        ['cuda:{}'.format(i) for i in range(torch.cuda.device_count())]
        + ['MPS available'] * int(torch.backends.mps.is_available()))
