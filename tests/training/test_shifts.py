"""The ``*Shift`` schedules: Chainer 7's values (edge cases included), our
run-length schedules, and exact resumption from a serialized state.

The expected values of Chainer's shifts were computed by hand and agree
with Chainer 7.8.1 run on the same cases."""

import math

import numpy
import pytest

from chainvision.serializers import DictionarySerializer, NpzDeserializer
from chainvision.training import extensions


class _Optimizer:
    lr = 0.5


class _Trainer:
    """What a schedule reads from a trainer: ``updater.get_optimizer``."""

    def __init__(self, optimizer):
        self.updater = self
        self._optimizer = optimizer

    def get_optimizer(self, name):
        return self._optimizer


def _values(shift, calls, trainer=None, initialize=True):
    """The value after ``initialize`` and after each of ``calls`` calls."""
    trainer = trainer or _Trainer(_Optimizer())
    optimizer = trainer.get_optimizer('main')
    if initialize:
        shift.initialize(trainer)
    values = [optimizer.lr]
    for _ in range(calls):
        shift(trainer)
        values.append(optimizer.lr)
    return values


@pytest.mark.parametrize('shift, expected', [
    # Chainer applies the target from the first call on: the start value
    # may lie beyond it.
    (lambda: extensions.ExponentialShift('lr', 0.5, init=0.1, target=0.2),
     [0.1, 0.2, 0.2]),
    # value / target passes 1: the target holds for negative values too.
    (lambda: extensions.ExponentialShift('lr', 2., init=-0.1, target=-0.5),
     [-0.1, -0.2, -0.4, -0.5, -0.5]),
    (lambda: extensions.StepShift('lr', 3., 2, init=-0.1, target=-1.),
     [-0.1, -0.1, -0.3, -0.3, -0.9, -0.9, -1., -1.]),
    # Steps are taken in the given order, one per call, never at the start.
    (lambda: extensions.MultistepShift('lr', 0.5, [2, 2, 4], 0.4),
     [0.4, 0.4, 0.2, 0.1, 0.05, 0.05]),
    (lambda: extensions.MultistepShift('lr', 0.5, [0, 0], 0.4), [0.4, 0.2, 0.1, 0.1]),
    (lambda: extensions.MultistepShift('lr', 0.5, [6, 3], 0.4),
     [0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.2, 0.1]),
    # WarmupShift starts from exactly warmup_start (3 * 0.1 / 3 would not be).
    (lambda: extensions.WarmupShift('lr', 0.1, 3, 0.7), [0.1, 0.3, 0.5, 0.7, 0.7]),
])
def test_chainer_shifts_keep_chainers_edge_cases(shift, expected):
    values = _values(shift(), len(expected) - 1)
    numpy.testing.assert_allclose(values, expected, rtol=1e-12)
    assert values[0] == expected[0]


def test_cosine_shift_with_linear_warmup():
    shift = extensions.CosineShift('lr', 0.4, 4, final_factor=0.5, warmup_iterations=2,
                                   warmup_factor=0.25)
    cosine = [0.5 + 0.5 * (1 + math.cos(math.pi * t / 4)) / 2 for t in range(4)]
    warm = [0.25, 0.625, 1., 1.]
    expected = [0.4 * c * w for c, w in zip(cosine, warm)] + [0.4 * cosine[3]]  # t stops at 3
    numpy.testing.assert_allclose(_values(shift, 4), expected, rtol=1e-12)


def test_milestone_shift_is_multistep_with_a_constant_warmup():
    shift = extensions.MilestoneShift('lr', 0.1, 8, [5, 3], gamma=0.1, warmup_iterations=2,
                                      warmup_mode='constant', warmup_factor=0.1)
    numpy.testing.assert_allclose(
        _values(shift, 9), [0.01, 0.01, 0.1, 0.01, 0.01, 0.001, 0.001, 0.001, 0.001, 0.001],
        rtol=1e-12)


def test_one_cycle_shift_rises_to_the_peak_then_anneals():
    shift = extensions.OneCycleShift('lr', 1., 9, peak_fraction=0.25, div_factor=10.,
                                     final_div_factor=100.)
    values = _values(shift, 9)
    # peak at t = 2.25: a half cosine from 0.1 up, then down to 0.001 at t = 8
    assert values[0] == pytest.approx(0.1)
    assert values[2] == pytest.approx(1. + (0.1 - 1.) * (1 + math.cos(math.pi * 2 / 2.25)) / 2)
    assert values[3] == pytest.approx(0.001 + (1. - 0.001) * (
        1 + math.cos(math.pi * 0.75 / 5.75)) / 2)
    assert values[8] == values[9] == pytest.approx(0.001)


def test_run_length_shifts_check_their_arguments():
    with pytest.raises(ValueError, match="warmup_mode must be 'linear' or 'constant'"):
        extensions.CosineShift('lr', 0.1, 10, warmup_iterations=2, warmup_mode='step')
    with pytest.raises(ValueError, match='total_iterations must be positive, got 0'):
        extensions.MilestoneShift('lr', 0.1, 0, [])


@pytest.mark.parametrize('make', [
    lambda: extensions.ExponentialShift('lr', 0.7),
    lambda: extensions.StepShift('lr', 0.5, 3, target=0.1),
    lambda: extensions.LinearShift('lr', (0.1, 0.4), (2, 8)),
    lambda: extensions.MultistepShift('lr', 0.3, [3, 5, 7], 0.2),
    lambda: extensions.WarmupShift('lr', 0.01, 7, 0.3),
    lambda: extensions.CosineShift('lr', 0.2, 10, warmup_iterations=3),
    lambda: extensions.MilestoneShift('lr', 0.2, 10, [4, 6], warmup_iterations=5),
    lambda: extensions.OneCycleShift('lr', 0.2, 10),
])
@pytest.mark.parametrize('stop', [0, 3, 6])
def test_a_resumed_schedule_continues_exactly(make, stop):
    straight = _values(make(), 10)
    first = make()
    _values(first, stop)
    saved = DictionarySerializer()
    first.serialize(saved)

    resumed = make()
    NpzDeserializer(saved.target).load(resumed)
    # A fresh optimizer, as a resumed run builds: its value is the
    # constructor's, not the schedule's.
    assert _values(resumed, 10 - stop) == straight[stop:]


def test_every_schedule_is_exported_and_shares_one_base():
    from chainvision.training.extensions._shift import ValueShift
    names = ['CosineShift', 'ExponentialShift', 'LinearShift', 'MilestoneShift',
             'MultistepShift', 'OneCycleShift', 'StepShift', 'WarmupShift']
    assert sorted(n for n in dir(extensions) if n.endswith('Shift')) == names
    assert all(issubclass(getattr(extensions, n), ValueShift) for n in names)
