"""Option values that depend on the machine a run trains on: the
:class:`ByMachine` wrapper (resolved once, when the run starts, by
:func:`chainvision.app.options.resolve`) and the facts about a device the
rules ask."""

import dataclasses
from typing import Any, Callable

import torch


@dataclasses.dataclass(frozen=True)
class ByMachine:
    """A default that depends on the machine: ``value(device)`` for the
    ``torch.device`` the run trains on.

    Attributes:
        value (callable): ``torch.device -> value``.
        description (str): the rule in words, for ``--help``.
    """

    value: Callable[[torch.device], Any]
    description: str


def computes_bf16_natively(device: torch.device) -> bool:
    """Whether bf16 convolutions on ``device`` run at least as fast as fp32:
    on CUDA, and on CPUs whose oneDNN has bf16 kernels (AVX-512 BF16 or
    AMX).  Elsewhere PyTorch falls back to its reference convolution:
    ``speedrun_cifar`` trained at 2-3 images/s in bf16 against 30-50 in
    fp32 (channels-last, batch 128, one thread) on this project's AVX2 CPU."""
    if device.type == 'cuda':
        return True
    return device.type == 'cpu' and torch.ops.mkldnn._is_mkldnn_bf16_supported()
