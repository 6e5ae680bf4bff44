"""Where a result comes from: the machine that made it and the commit of the
code that ran, for the tables ``chainvision reproduce`` writes."""

import os
import platform
import subprocess
from typing import Optional

import torch


def cpu_name() -> str:
    """The CPU's model name (``/proc/cpuinfo`` on Linux, else what
    ``platform`` knows, else ``'unknown CPU'``)."""
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or 'unknown CPU'


def machine_description(device: torch.device) -> str:
    """One line naming the device a run trained on, with the CPU threads
    and PyTorch's version: ``'CPU: AMD EPYC, 2 cores, torch 2.13.0+cpu'`` or
    ``'GPU: NVIDIA H200 (CPU: ...), torch 2.4.1'``."""
    cpu = '{}, {} cores'.format(cpu_name(), os.cpu_count())
    if device.type == 'cuda':
        return 'GPU: {} (CPU: {}), torch {}'.format(torch.cuda.get_device_name(device), cpu,
                                                    torch.__version__)
    return 'CPU: {}, torch {}'.format(cpu, torch.__version__)


def source_commit(path: Optional[str] = None) -> str:
    """The short git commit of the checkout holding ``path`` (default: this
    package), with ``+changes`` when tracked files differ from it;
    ``'unknown'`` outside a git checkout or without git."""
    folder = os.path.dirname(os.path.abspath(path or __file__))
    try:
        commit = subprocess.run(['git', 'rev-parse', '--short=12', 'HEAD'], cwd=folder,
                                capture_output=True, text=True, timeout=10)
        status = subprocess.run(['git', 'status', '--porcelain', '--untracked-files=no'],
                                cwd=folder, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return 'unknown'
    if commit.returncode != 0:
        return 'unknown'
    return commit.stdout.strip() + ('+changes' if status.stdout.strip() else '')
