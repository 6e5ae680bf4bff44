"""Dropping the graphs of the reported values."""

import torch

from chainvision.configuration import config
from chainvision.training import extension


class unchain_variables(extension.Extension):  # noqa: N801 (Chainer's name)
    """Replace every tensor of ``trainer.observation`` by its detached copy
    after the other extensions ran, so their graphs can be freed (Chainer's
    ``unchain_variables``, a last resort against leaks when reports keep
    graphs).

    It runs after an iteration in which ``config.keep_graph_on_report`` was
    on (without that flag the reporter keeps no graph).  Chainer cuts each
    variable's graph in place; PyTorch cannot detach a non-leaf tensor in
    place, so the dictionary entries are replaced instead.
    """

    priority = 0

    def __init__(self):
        self._previous_flag = None

    def initialize(self, trainer):
        self._previous_flag = config.keep_graph_on_report

    def trigger(self, trainer):
        flag, self._previous_flag = self._previous_flag, config.keep_graph_on_report
        return flag

    def __call__(self, trainer):
        for key, value in trainer.observation.items():
            if isinstance(value, torch.Tensor):
                trainer.observation[key] = value.detach()
