"""Dump the computational graph of a reported value in Graphviz DOT."""

import os
import re
import shutil
import subprocess

import torch

from chainvision import configuration
from chainvision.link import named_params
from chainvision.training import extension
from chainvision.utils.atomic import atomic_write

_VARIABLE_STYLE = {'shape': 'octagon', 'fillcolor': '#E0E0E0', 'style': 'filled'}
_FUNCTION_STYLE = {'shape': 'record', 'fillcolor': '#6495ED', 'style': 'filled'}


def _node(node_id, label, style):
    attributes = ','.join('{}="{}"'.format(k, v) for k, v in dict(style, label=label).items())
    return '"{}" [{}];'.format(node_id, attributes)


def _describe(tensor, name=None):
    text = '{}, {}'.format(tuple(tensor.shape), str(tensor.dtype).replace('torch.', ''))
    return '{}: {}'.format(name, text) if name else text


def _function_name(function):
    return re.sub(r'Backward\d*$', '', type(function).__name__)


def build_dot(root, param_names=None, variable_style=None, function_style=None):
    """Return the DOT text of the autograd graph that produced ``root``:
    one box per backward function (``Addmm``, ``Relu``...), one octagon per
    parameter (named from ``param_names``, a dict ``id(param) -> path``)
    and one for ``root``; edges follow the forward data flow.

    Chainer's graph alternates variables and functions; PyTorch keeps only
    the functions and the leaves, so intermediate variables are not drawn.
    """
    variable_style = variable_style or _VARIABLE_STYLE
    function_style = function_style or _FUNCTION_STYLE
    param_names = param_names or {}
    lines = ['digraph graphname{rankdir=TB;', _node('root', _describe(root), variable_style)]
    edges = []
    if root.grad_fn is not None:
        edges.append((id(root.grad_fn), 'root'))
    pending, seen = [root.grad_fn] if root.grad_fn is not None else [], set()
    while pending:
        function = pending.pop()
        if id(function) in seen:
            continue
        seen.add(id(function))
        lines.append(_node(id(function), _function_name(function), function_style))
        for child, _ in function.next_functions:
            if child is None:
                continue
            variable = getattr(child, 'variable', None)
            if variable is not None:  # AccumulateGrad: a leaf such as a parameter
                if id(child) not in seen:
                    seen.add(id(child))
                    lines.append(_node(id(child), _describe(variable, param_names.get(
                        id(variable))), variable_style))
            else:
                pending.append(child)
            edges.append((id(child), id(function)))
    lines.extend('"{}" -> "{}";'.format(a, b) for a, b in edges)
    lines.append('}')
    return '\n'.join(lines) + '\n'


class DumpGraph(extension.Extension):
    """At the first iteration, write the computational graph of
    ``trainer.observation[root_name]`` (e.g. ``'main/loss'``) to
    ``<out>/<filename>`` in DOT, and a PNG beside it when Graphviz's
    ``dot`` is installed.

    Args:
        root_name (str): the observation key of the graph's output.
        filename (str): the DOT file (default ``'cg.dot'``; Chainer's older
            spelling ``out_name`` is accepted too).
        variable_style, function_style (dict): DOT attributes of the nodes.

    It keeps ``config.keep_graph_on_report`` on until it has run, so the
    reported loss still holds its graph (see :func:`build_dot` for how the
    drawing differs from Chainer's).
    """

    default_name = 'dump_graph'

    def __init__(self, root_name, filename=None, variable_style=None, function_style=None,
                 out_name='cg.dot'):
        self._root_name = root_name
        self._filename = filename or out_name
        self._variable_style = variable_style
        self._function_style = function_style
        self._original_flag = None
        self._flag_called = False

    def initialize(self, trainer):
        """Keep graphs on reported values until the graph is dumped."""
        if not self._flag_called:
            self._original_flag = configuration.config.keep_graph_on_report
            configuration.config.keep_graph_on_report = True

    def trigger(self, trainer):
        """Fires once, at the first iteration."""
        if self._flag_called:
            return False
        self._flag_called = True
        return True

    def __call__(self, trainer):
        try:
            root = trainer.observation.get(self._root_name)
            if not isinstance(root, torch.Tensor) or root.grad_fn is None:
                raise TypeError('{!r} is not a value with a computational graph: report the '
                                'loss tensor itself under that name.'.format(self._root_name))
            names = {id(p): name for opt in trainer.updater.get_all_optimizers().values()
                     for name, p in named_params(opt.target)}
            path = os.path.join(trainer.out, self._filename)
            with atomic_write(path, 'w') as stream:
                stream.write(build_dot(root, names, self._variable_style, self._function_style))
            if shutil.which('dot'):
                image = os.path.splitext(path)[0] + '.png'
                subprocess.check_call(['dot', '-Tpng', path, '-o', image])
        finally:
            configuration.config.keep_graph_on_report = self._original_flag

    def serialize(self, serializer):
        """Save or load whether the graph was dumped (Chainer's keys)."""
        self._original_flag = serializer('_original_flag', self._original_flag)
        self._flag_called = serializer('_flag_called', self._flag_called)
