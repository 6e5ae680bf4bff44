"""Chainer's ``chainer.graph_optimizations``: the static-graph decorators,
which run eagerly here (see :mod:`.static_graph`)."""

from chainvision.graph_optimizations.static_graph import static_code, static_graph  # noqa: F401
