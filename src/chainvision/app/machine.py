"""Option values that depend on the machine a run trains on: the
:class:`ByMachine` wrapper (resolved once, when the run starts, by
:func:`chainvision.app.options.resolve`), the rules of the machine
defaults (:func:`fast_precision`, :func:`channels_last_pays`) and the facts
about a device they ask, such as
:func:`~chainvision.backend.computes_bf16_natively` and the warning for
an emulated precision,
:func:`~chainvision.backend.emulated_precision_warning` (defined with the
devices, since the zoo's inference asks them too)."""

import dataclasses
from typing import Any, Callable

import torch

from chainvision.backend import computes_bf16_natively


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


def fast_precision(device: torch.device) -> str:
    """The autocast precision ``fit`` trains in by default on ``device``:
    ``'bf16'`` where the device computes it natively (CUDA GPUs from Ampere
    on, CPUs with AVX-512 BF16 or AMX), ``'fp16'`` (with loss scaling) on
    older CUDA GPUs, else ``'fp32'``.  BatchNorm's statistics and the loss
    stay fp32 under autocast.  The he2016 ResNet-20 recipe keeps its test
    accuracy in bf16 (``benchmarks/precision_accuracy.py``)."""
    if computes_bf16_natively(device):
        return 'bf16'
    return 'fp16' if device.type == 'cuda' else 'fp32'


def channels_last_pays(device: torch.device) -> bool:
    """Whether NHWC activations and weights (``channels_last``) are the
    faster layout for convolutions on ``device``: oneDNN's and cuDNN's
    kernels are NHWC (NCHW tensors are reordered on every call).  On this
    project's 2-core AVX2 CPU a training step of the zoo's LeNet-5 (batch
    128) and ResNet-20 (batch 64) took 16% less time in NHWC (fastest of 40
    and 8 interleaved steps, one thread, other jobs running)."""
    return device.type in ('cpu', 'cuda')
