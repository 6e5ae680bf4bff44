"""Option values that depend on the machine a run trains on: the
:class:`ByMachine` wrapper (resolved once, when the run starts, by
:func:`chainvision.app.options.resolve`) and the fact about a device the
rules ask, :func:`~chainvision.backend.computes_bf16_natively` (defined with
the devices, since the zoo's inference asks it too)."""

import dataclasses
from typing import Any, Callable

import torch

from chainvision.backend import computes_bf16_natively  # noqa: F401  (the rules ask it)


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
