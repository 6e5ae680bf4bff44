"""The step of fit never waits for the device: a non-finite loss is undone
on the device (StepGuard) and read back only where something is logged or
saved; the rest of a quiet iteration reads nothing back either."""

import contextlib
import math

import numpy
import pytest
import torch

import chainvision.links as L
from chainvision import datasets, optimizers
from chainvision.app import options
from chainvision.app.bench import HostReads
from chainvision.app.run import Run
from chainvision.training import extension
from chainvision.training.distributed import DistributedContext
from chainvision.training.updaters.fit_updater import FitUpdater, NonFiniteLossError
from chainvision.training.updaters._step_guard import StepGuard

@contextlib.contextmanager
def _counting_host_reads(monkeypatch):
    """Counts the dispatcher's host reads and NumPy conversions (which
    need no operator on the CPU but copy from a GPU)."""
    reads = HostReads()
    for name in ('numpy', 'tolist'):
        original = getattr(torch.Tensor, name)

        def counted(self, *args, _original=original, **kwargs):
            reads.count += 1
            return _original(self, *args, **kwargs)
        monkeypatch.setattr(torch.Tensor, name, counted)
    with reads:
        yield reads
    monkeypatch.undo()


class _ReadsPerIteration(extension.Extension):
    """Records the host reads of each iteration (runs last of all)."""

    priority = -10000

    def __init__(self, reads):
        self.reads = reads
        self.per_iteration = {}
        self._seen = 0

    def __call__(self, trainer):
        self.per_iteration[trainer.updater.iteration] = self.reads.count - self._seen
        self._seen = self.reads.count


@pytest.mark.parametrize('device', ['cpu', pytest.param('cuda', marks=pytest.mark.gpu)])
def test_a_quiet_iteration_of_fit_reads_nothing_back_from_the_device(tmp_path, monkeypatch,
                                                                     device):
    images, labels = datasets.load_arrays('mnist', 'test')
    data = {'train': (images[:640], labels[:640]), 'test': (images[-100:], labels[-100:])}
    # The he2016 recipe's machinery: momentum SGD with a weight-decay hook,
    # a multistep schedule, augmentation, a validation split.
    config = options.resolve('lenet5', data, None, dict(
        iterations=12, batch_size=32, log_interval=5, snapshot_interval=6, val_split=64,
        optimizer='momentum_sgd', weight_decay=1e-4, schedule='multistep',
        augment='crop4,flip', device=device, progress=True, precision='fp32'))
    run = Run('lenet5', data, config, str(tmp_path), False, DistributedContext(),
              torch.device(device))
    with _counting_host_reads(monkeypatch) as reads:
        recorder = _ReadsPerIteration(reads)
        run.trainer.extend(recorder, name='reads')
        run.trainer.run()
    checked = {5, 6, 10, 12}
    quiet = {i: n for i, n in recorder.per_iteration.items() if i not in checked}
    assert sorted(quiet) == [1, 2, 3, 4, 7, 8, 9, 11]
    assert set(quiet.values()) == {0}
    assert all(recorder.per_iteration[i] > 0 for i in checked)


def _linear_model():
    torch.manual_seed(0)
    model = L.Classifier(L.Linear(4, 3))
    return model, optimizers.MomentumSGD(lr=0.1).setup(model)


def _step(model, optimizer, guard, x, t, iteration):
    guard.save()
    loss = model(x, t)
    guard.observe(loss, iteration)
    model.cleargrads()
    loss.backward()
    optimizer.update()
    guard.restore()


def test_the_guard_undoes_every_step_from_the_first_non_finite_loss():
    model, optimizer = _linear_model()
    guard = StepGuard(model)
    x, t = torch.randn(8, 4), torch.arange(8) % 3
    for iteration in (1, 2):
        _step(model, optimizer, guard, x, t, iteration)
    assert guard.verdict() is None
    good = {k: v.clone() for k, v in model.state_dict().items()}
    _step(model, optimizer, guard, x * float('inf'), t, 3)
    _step(model, optimizer, guard, x, t, 4)     # finite again, but after a bad one
    iteration, loss = guard.verdict()
    assert iteration == 3 and math.isnan(loss)
    for key, value in model.state_dict().items():
        assert torch.equal(value, good[key]), key


def test_a_guarded_step_is_the_plain_step_while_losses_are_finite():
    model, optimizer = _linear_model()
    plain, plain_optimizer = _linear_model()
    guard = StepGuard(model)
    x, t = torch.randn(8, 4), torch.arange(8) % 3
    for iteration in (1, 2, 3):
        _step(model, optimizer, guard, x, t, iteration)
        plain_optimizer.update(plain, x, t)
    for (key, value), expected in zip(model.state_dict().items(), plain.state_dict().values()):
        assert torch.equal(value, expected), key


def test_the_updater_raises_where_checked_naming_the_first_bad_iteration():
    images = numpy.random.RandomState(0).randint(0, 255, (64, 1, 4, 4)).astype(numpy.uint8)
    labels = numpy.arange(64) % 3
    loader = datasets.DeviceLoader(images, labels, batch_size=8, seed=0)
    model = L.Classifier(_NanFrom(3))
    optimizer = optimizers.SGD(lr=0.1).setup(model)
    updater = FitUpdater(loader, optimizer, observer=model,
                         check_trigger=lambda trainer: updater.iteration % 5 == 0)
    before = model.predictor.fc.W.detach().clone()
    for _ in range(4):      # iterations 1-4: the NaN of iteration 3 is not read yet
        updater.update()
    assert torch.isnan(model.predictor.fc.W).sum() == 0
    with pytest.raises(NonFiniteLossError, match=r'loss is nan at iteration 3 \(the weights '
                                                 r'are kept from before it\)'):
        updater.update()
    # Two good steps were applied, none after.
    assert not torch.equal(model.predictor.fc.W, before)
    assert updater.iteration == 5


class _NanFrom(torch.nn.Module):
    """A linear classifier whose output is NaN from the ``n``-th call on."""

    def __init__(self, n):
        super().__init__()
        self.fc = L.Linear(16, 3)
        self.n, self.calls = n, 0

    def forward(self, x):
        self.calls += 1
        y = self.fc(x.reshape(len(x), -1))
        return y * float('nan') if self.calls >= self.n else y


def test_an_fp16_step_whose_gradients_overflow_is_undone_and_training_goes_on():
    images = numpy.random.RandomState(0).randint(0, 255, (64, 1, 4, 4)).astype(numpy.uint8)
    loader = datasets.DeviceLoader(images, numpy.arange(64) % 3, batch_size=8, seed=0)
    model = L.Classifier(L.Linear(16, 3))
    optimizer = optimizers.SGD(lr=0.1).setup(model)
    updater = FitUpdater(loader, optimizer, observer=model, precision='fp16')
    updater.scaler = torch.amp.GradScaler('cpu', init_scale=2. ** 127)   # overflows at once
    before = model.predictor.W.detach().clone()
    updater.update()
    assert torch.equal(model.predictor.W, before)
    assert updater.scaler.get_scale() == 2. ** 126
    updater.scaler = torch.amp.GradScaler('cpu', init_scale=2. ** 8)
    updater.update()
    assert not torch.equal(model.predictor.W, before)


def _optimizer_state(optimizer):
    return {name: value.clone() for state in optimizer.torch_optimizer.state.values()
            for name, value in state.items()}


@pytest.mark.parametrize('optimizer_type', [optimizers.MomentumSGD, optimizers.Adam])
@pytest.mark.parametrize('first_step', [True, False])
def test_a_skipped_fp16_step_leaves_the_optimizers_state_as_it_was(optimizer_type, first_step):
    """Momentum and Adam's moments come back with the weights (they would
    carry the overflowed gradients into every later step and make the
    weights NaN), whether the state existed before the step or was made in
    it (it starts at zero)."""
    images = numpy.random.RandomState(0).randint(0, 255, (64, 1, 4, 4)).astype(numpy.uint8)
    loader = datasets.DeviceLoader(images, numpy.arange(64) % 3, batch_size=8, seed=0)
    model = L.Classifier(L.Linear(16, 3))
    optimizer = optimizer_type().setup(model)
    updater = FitUpdater(loader, optimizer, observer=model, precision='fp16')
    updater.scaler = torch.amp.GradScaler('cpu', init_scale=2. ** 8)
    if not first_step:
        updater.update()
    weights, state = model.predictor.W.detach().clone(), _optimizer_state(optimizer)
    updater.scaler = torch.amp.GradScaler('cpu', init_scale=2. ** 127)   # overflows
    updater.update()
    assert torch.equal(model.predictor.W, weights)
    after = _optimizer_state(optimizer)
    assert after and all(torch.isfinite(value).all() for value in after.values())
    for name, value in after.items():
        assert torch.equal(value, state[name] if name in state else torch.zeros_like(value))
    updater.scaler = torch.amp.GradScaler('cpu', init_scale=2. ** 8)
    for _ in range(3):
        updater.update()
    assert torch.isfinite(model.predictor.W).all() and updater.guard.verdict() is None
