"""Triggers, driven by a stand-in updater whose position we set by hand."""

import numpy
import pytest

from chainvision import serializers
from chainvision.training import get_trigger, triggers


class FakeUpdater:
    def __init__(self, iters_per_epoch=4):
        self.iteration = 0
        self.iters_per_epoch = iters_per_epoch
        self.previous_epoch_detail = None

    @property
    def epoch_detail(self):
        return self.iteration / self.iters_per_epoch

    @property
    def epoch(self):
        return self.iteration // self.iters_per_epoch


class FakeTrainer:
    def __init__(self, updater=None):
        self.updater = updater or FakeUpdater()
        self.observation = {}

    def step(self, **observation):
        self.updater.previous_epoch_detail = self.updater.epoch_detail
        self.updater.iteration += 1
        self.observation = observation


def fired(trigger, trainer, n, values=None):
    result = []
    for i in range(n):
        trainer.step(**({'v': values[i]} if values else {}))
        result.append(trigger(trainer))
    return result


def test_interval_trigger_fires_every_period_in_both_units():
    assert fired(triggers.IntervalTrigger(3, 'iteration'), FakeTrainer(), 7) == [
        False, False, True, False, False, True, False]
    # 4 iterations per epoch: a half-epoch trigger fires every 2 iterations
    assert fired(triggers.IntervalTrigger(0.5, 'epoch'), FakeTrainer(), 6) == [
        False, True, False, True, False, True]


def test_interval_trigger_fires_on_a_crossed_boundary_even_if_called_late():
    trainer = FakeTrainer()
    trigger = triggers.IntervalTrigger(2, 'iteration')
    trainer.step()
    trainer.step()
    trainer.step()
    assert trigger(trainer)  # iteration 0 -> 3 crossed 2


def test_bad_unit_and_bad_spec_are_explained():
    with pytest.raises(ValueError, match="'epoch' or 'iteration'"):
        triggers.IntervalTrigger(1, 'epochs')
    with pytest.raises(ValueError, match='period, unit'):
        get_trigger(5)
    assert get_trigger(None)(FakeTrainer()) is False


def test_manual_schedule_trigger_fires_at_points_and_finishes():
    trainer = FakeTrainer()
    trigger = triggers.ManualScheduleTrigger([2, 5], 'iteration')
    assert fired(trigger, trainer, 6) == [False, True, False, False, True, False]
    assert trigger.finished
    epoch_trigger = triggers.ManualScheduleTrigger(1, 'epoch')
    assert fired(epoch_trigger, FakeTrainer(), 5) == [False, False, False, True, False]


def test_max_and_min_value_triggers_fire_on_a_new_best_interval_mean():
    values = [1, 3, 2, 2, 5, 0]  # means over 2 iterations: 2, 2, 2.5
    assert fired(triggers.MaxValueTrigger('v', (2, 'iteration')), FakeTrainer(), 6, values) == [
        False, True, False, False, False, True]
    assert fired(triggers.MinValueTrigger('v', (2, 'iteration')), FakeTrainer(), 6, values) == [
        False, True, False, False, False, False]


def test_early_stopping_stops_after_patience_checks_without_improvement():
    trigger = triggers.EarlyStoppingTrigger(check_trigger=(1, 'iteration'), monitor='v',
                                            patience=2, max_trigger=(100, 'iteration'))
    assert fired(trigger, FakeTrainer(), 5, [3, 2, 2.5, 2.1, 9]) == [
        False, False, False, True, True]
    accuracy = triggers.EarlyStoppingTrigger(monitor='validation/main/accuracy')
    assert accuracy.best == float('-inf')
    assert triggers.EarlyStoppingTrigger(max_trigger=(7, 'epoch')).get_training_length() == (
        7, 'epoch')


def test_early_stopping_state_survives_serialization(tmp_path):
    trigger = triggers.EarlyStoppingTrigger(check_trigger=(1, 'iteration'), monitor='v',
                                            patience=2)
    trainer = FakeTrainer()
    fired(trigger, trainer, 3, [3, 2, 2.5])
    serializers.save_npz(tmp_path / 't.npz', trigger)
    restored = triggers.EarlyStoppingTrigger(check_trigger=(1, 'iteration'), monitor='v',
                                             patience=2)
    serializers.load_npz(tmp_path / 't.npz', restored)
    assert (restored.best, restored.count) == (2.0, 1)
    trainer.step(v=2.1)
    assert restored(trainer)


def test_once_trigger_fires_once_and_again_after_resume_if_asked(tmp_path):
    trainer = FakeTrainer()
    once = triggers.OnceTrigger()
    assert fired(once, trainer, 3) == [True, False, False] and once.finished
    serializers.save_npz(tmp_path / 'once.npz', once)
    resumed = triggers.OnceTrigger(call_on_resume=True)
    serializers.load_npz(tmp_path / 'once.npz', resumed)
    assert fired(resumed, trainer, 2) == [True, False]


def test_early_stopping_loads_a_snapshot_without_its_state_with_a_warning(tmp_path):
    serializers.save_npz(tmp_path / 'empty.npz', {'other': numpy.zeros(1)})
    trigger = triggers.EarlyStoppingTrigger()
    with pytest.warns(UserWarning, match='EarlyStoppingTrigger'):
        serializers.load_npz(tmp_path / 'empty.npz', trigger)
    assert trigger.count == 0


def test_time_trigger_fires_after_each_period_and_resumes_its_schedule(tmp_path):
    trainer = FakeTrainer()
    trigger = triggers.TimeTrigger(10.0)
    results = []
    for elapsed in (3.0, 10.0, 10.5, 15.0, 20.5, 21.0, 35.0):
        trainer.elapsed_time = elapsed
        results.append(trigger(trainer))
    assert results == [False, False, True, False, True, False, True]
    serializers.save_npz(tmp_path / 'trigger.npz', trigger)
    resumed = triggers.TimeTrigger(10.0)
    serializers.load_npz(tmp_path / 'trigger.npz', resumed)
    trainer.elapsed_time = 39.0
    assert not resumed(trainer)
    trainer.elapsed_time = 40.5
    assert resumed(trainer)


def test_interval_trigger_is_also_in_the_training_namespace():
    from chainvision import training
    assert training.IntervalTrigger is triggers.IntervalTrigger
