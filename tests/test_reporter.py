import math
import threading

import numpy
import pytest
import torch
from torch.utils._python_dispatch import TorchDispatchMode

import chainvision
from chainvision.reporter import DictSummary, Reporter, Summary


def test_report_with_observer_prefixes_its_name():
    reporter = Reporter()
    observer = object()
    reporter.add_observer('main', observer)
    observation = {}
    with reporter.scope(observation):
        chainvision.report({'loss': 1.5}, observer)
        chainvision.report({'lr': 0.1})
    assert observation == {'main/loss': 1.5, 'lr': 0.1}
    assert reporter.observation == {}


def test_add_observers_registers_prefixed_link_paths():
    model = chainvision.Chain(l1=chainvision.links.Linear(2, 3))
    reporter = Reporter()
    reporter.add_observers('main', model.namedlinks(skipself=True))
    observation = {}
    with reporter.scope(observation):
        chainvision.report({'norm': 2}, model.l1)
    assert observation == {'main/l1/norm': 2}


def test_report_from_unregistered_observer_raises_key_error():
    reporter = Reporter()
    with reporter, pytest.raises(KeyError, match='add_observer'):
        chainvision.report({'x': 1}, object())


def test_report_without_current_reporter_does_nothing():
    chainvision.report({'x': 1})
    with pytest.raises(RuntimeError, match='No reporter is current'):
        chainvision.get_current_reporter()


def test_report_detaches_tensors_unless_keep_graph_on_report():
    x = torch.ones(2, requires_grad=True)
    loss = (x * 3).sum()
    reporter = Reporter()
    observation = {}
    with reporter.scope(observation):
        chainvision.report({'loss': loss})
        assert observation['loss'].grad_fn is None and observation['loss'].item() == 6
        with chainvision.using_config('keep_graph_on_report', True):
            chainvision.report({'loss': loss})
        assert observation['loss'] is loss


def test_nested_reporters_and_report_scope():
    outer, inner = Reporter(), Reporter()
    with outer:
        with inner:
            assert chainvision.get_current_reporter() is inner
            captured = {}
            with chainvision.report_scope(captured):
                chainvision.report({'a': 1})
            chainvision.report({'b': 2})
        assert chainvision.get_current_reporter() is outer
    assert captured == {'a': 1}
    assert inner.observation == {'b': 2} and outer.observation == {}


def test_reporters_are_thread_local():
    seen = []
    with Reporter():
        thread = threading.Thread(target=lambda: seen.append(
            chainvision.reporter._get_reporters() == []))
        thread.start()
        thread.join()
    assert seen == [True]


def test_summary_weighted_mean_and_std():
    summary = Summary()
    for value, weight in [(1.0, 1), (2.0, 2), (4.0, 1)]:
        summary.add(value, weight)
    # values 1, 2, 2, 4: mean 2.25, E[x^2] = 25/4, var = 6.25 - 5.0625
    assert summary.compute_mean() == pytest.approx(2.25)
    mean, std = summary.make_statistics()
    assert mean == pytest.approx(2.25)
    assert std == pytest.approx(math.sqrt(6.25 - 2.25 ** 2))


class CountOps(TorchDispatchMode):
    """Counts the tensor operations run while active."""

    def __init__(self):
        super().__init__()
        self.names = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.names.append(func.overloadpacket.__name__)
        return func(*args, **(kwargs or {}))


def test_summary_keeps_tensors_until_the_mean_is_asked_for():
    summary = Summary()
    values = [torch.tensor(0.5, requires_grad=True), torch.tensor(1.5)]
    with CountOps() as ops:
        for value in values:
            summary.add(value)
    # Adding costs no arithmetic (only the detach of the value that has a graph).
    assert ops.names == ['detach']
    mean = summary.compute_mean()
    assert isinstance(mean, float) and mean == 1.0
    assert summary.make_statistics() == (1.0, 0.5)
    assert isinstance(summary._x, torch.Tensor) and summary._x.grad_fn is None


def test_summary_of_bf16_tensors_sums_in_float32():
    # 352 bf16 batch accuracies (an he2016 epoch in bf16 autocast): each is
    # exact in bf16 (k/128), their sum (~306) is not.
    summary = Summary()
    accuracies = [(96 + i % 32) / 128 for i in range(352)]
    for accuracy in accuracies:
        summary.add(torch.tensor(accuracy, dtype=torch.bfloat16))
    assert summary.compute_mean() == pytest.approx(sum(accuracies) / 352, rel=1e-6)


def test_summary_folds_pending_tensors_in_batches_with_their_weights():
    summary = Summary()
    # 2,500 values 0, 1, ..., 2499 with weights 1 and 2 alternating, as tensors
    # and numbers mixed: more than two batches of pending tensors.
    values = numpy.arange(2500, dtype=numpy.float64)
    weights = numpy.where(values % 2 == 0, 1, 2)
    for value, weight in zip(values, weights):
        if value % 3:   # a float64 tensor, every fifth with a tensor weight
            summary.add(torch.tensor(value),
                        torch.tensor(int(weight)) if value % 5 == 0 else int(weight))
        else:
            summary.add(float(value), int(weight))
        assert len(summary._pending) < Summary.FOLD_EVERY
    mean = numpy.average(values, weights=weights)
    std = math.sqrt(numpy.average((values - mean) ** 2, weights=weights))
    assert summary.compute_mean() == pytest.approx(mean, rel=1e-12)
    assert summary.make_statistics() == pytest.approx((mean, std), rel=1e-9)


def test_summary_of_arrays_is_elementwise():
    summary = Summary()
    summary.add(numpy.array([1.0, 2.0]))
    summary.add(torch.tensor([3.0, 2.0]).numpy())
    mean, std = summary.make_statistics()
    numpy.testing.assert_allclose(mean, [2.0, 2.0])
    numpy.testing.assert_allclose(std, [1.0, 0.0])


def test_dict_summary_skips_non_scalars_and_uses_weights():
    summary = DictSummary()
    summary.add({'loss': torch.tensor(2.0), 'acc': (0.5, 3), 'map': numpy.zeros(3)})
    summary.add({'loss': numpy.float32(4.0), 'acc': (1.0, torch.tensor(1))})
    stats = summary.make_statistics()
    assert set(stats) == {'loss', 'loss.std', 'acc', 'acc.std'}
    assert stats['loss'] == pytest.approx(3.0) and stats['loss.std'] == pytest.approx(1.0)
    assert summary.compute_mean()['acc'] == pytest.approx((0.5 * 3 + 1.0) / 4)


def test_dict_summary_rejects_array_weights():
    with pytest.raises(ValueError, match="weight given to 'x' must be a scalar"):
        DictSummary().add({'x': (1.0, numpy.ones(2))})


def test_dict_summary_survives_an_npz_round_trip(tmp_path):
    from chainvision import serializers
    summary = DictSummary()
    summary.add({'main/loss': torch.tensor(1.0), 'lr': 0.5})
    summary.add({'main/loss': torch.tensor(3.0), 'lr': 0.5})
    path = tmp_path / 'summary.npz'
    serializers.save_npz(path, summary)
    restored = DictSummary()
    restored.add({'stale': 7.0})
    serializers.load_npz(path, restored)
    assert restored.make_statistics() == summary.make_statistics()
    restored.add({'main/loss': 5.0})
    assert restored.compute_mean()['main/loss'] == pytest.approx(3.0)
