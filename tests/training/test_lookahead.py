"""Lookahead: the EMA step and the pull-back, airbench94's decay schedule,
the interval, and the slow weights in snapshots."""

import types

import pytest
import torch

import chainvision
import chainvision.links as L
from chainvision.training import extensions


def _net():
    torch.manual_seed(0)
    net = chainvision.Sequential(L.Linear(3, 4), L.BatchNormalization(4))
    net(torch.randn(5, 3))      # BatchNorm's running statistics move away from 0 and 1
    return net


def _trainer_at(iteration):
    return types.SimpleNamespace(updater=types.SimpleNamespace(iteration=iteration))


def _perturb(net):
    with torch.no_grad():
        for value in net.state_dict().values():
            if value.is_floating_point():
                value.add_(torch.randn_like(value))


def test_step_is_an_ema_step_of_every_float_entry_then_a_pull_back():
    net = _net()
    lookahead = extensions.Lookahead(net, total=100)
    lookahead.initialize(None)
    slow = {k: v.clone() for k, v in net.state_dict().items()}
    _perturb(net)
    fast = {k: v.clone() for k, v in net.state_dict().items()}
    lookahead.step(0.3)
    for key, value in net.state_dict().items():
        if key.endswith('N'):           # BatchNorm's integer count is left alone
            assert torch.equal(value, fast[key])
            continue
        torch.testing.assert_close(value, 0.3 * slow[key] + 0.7 * fast[key])
        torch.testing.assert_close(lookahead.slow[key], value)


def test_decay_follows_the_cubic_schedule_and_ends_at_one():
    lookahead = extensions.Lookahead(_net(), total=200, decay=0.8, power=3)
    assert lookahead.decay_at(0) == 0.
    assert lookahead.decay_at(100) == pytest.approx(0.8 / 8)
    assert lookahead.decay_at(200) == 1.


def test_steps_every_interval_and_at_the_last_iteration():
    net = _net()
    lookahead = extensions.Lookahead(net, total=12, interval=5)
    lookahead.initialize(None)
    steps = []
    lookahead.step = steps.append
    for iteration in range(1, 13):
        lookahead(_trainer_at(iteration))
    assert steps == [lookahead.decay_at(5), lookahead.decay_at(10), 1.]


def test_last_step_gives_the_network_the_slow_weights():
    net = _net()
    lookahead = extensions.Lookahead(net, total=10)
    lookahead.initialize(None)
    slow = {k: v.clone() for k, v in lookahead.slow.items()}
    _perturb(net)
    lookahead(_trainer_at(10))
    for key, value in slow.items():
        torch.testing.assert_close(net.state_dict()[key], value)


def test_slow_weights_survive_a_snapshot(tmp_path):
    net = _net()
    lookahead = extensions.Lookahead(net, total=10)
    lookahead.initialize(None)
    _perturb(net)
    lookahead.step(0.5)
    _perturb(net)
    chainvision.serializers.save_npz(str(tmp_path / 'lookahead.npz'), lookahead)
    restored = extensions.Lookahead(net, total=10)
    chainvision.serializers.load_npz(str(tmp_path / 'lookahead.npz'), restored)
    restored.initialize(None)       # keeps what the snapshot restored
    for key, value in lookahead.slow.items():
        assert torch.equal(restored.slow[key], value)
        assert not torch.equal(net.state_dict()[key], value)
