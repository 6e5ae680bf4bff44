"""static_graph/static_code: Chainer's static-graph decorators run eagerly."""
import numpy
import pytest
import torch

import chainvision
import chainvision.functions as F
import chainvision.links as L
from chainvision.graph_optimizations import static_code, static_graph


class _MLP(chainvision.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(3, 4)
            self.l2 = L.Linear(4, 2)
        self.seen = []

    @static_code
    def record(self, x):
        self.seen.append(x.shape[0])

    @static_graph
    def forward(self, x):
        self.record(x)
        return self.l2(F.relu(self.l1(x)))


def test_a_static_chain_computes_what_its_define_by_run_code_computes():
    model = _MLP()
    x = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    expected = model.l2(F.relu(model.l1(x)))
    for _ in range(3):
        torch.testing.assert_close(model(x), expected)
    assert _MLP.forward.__name__ == 'forward'


def test_static_code_runs_every_iteration_and_gradients_flow():
    model = _MLP()
    for batch in (2, 2, 5):  # Chainer builds a new schedule for the new batch size
        loss = F.sum(model(numpy.ones((batch, 3), numpy.float32)))
        model.cleargrads()
        loss.backward()
        assert model.l1.W.grad is not None
    assert model.seen == [2, 2, 5]


def test_both_decorator_forms_and_chainers_keywords():
    @chainvision.static_graph(verbosity_level=1, enable_double_backprop=True)
    def double(x):
        return x * 2

    @chainvision.static_code(func_name='side')
    def side(inputs=None, outputs=None):
        outputs[0][...] = inputs[0] + 1

    assert double(3) == 6
    out = [numpy.zeros(2)]
    side(inputs=[numpy.ones(2)], outputs=out)
    numpy.testing.assert_array_equal(out[0], [2, 2])
    assert chainvision.graph_optimizations.static_code is static_code
    with pytest.raises(TypeError):
        static_graph(1, 2)
