"""The updater behind :func:`chainvision.fit`: Chainer's ``StandardUpdater``
plus mixed precision, channels-last batches, data-parallel shards and a
guard against non-finite losses that never waits for the device."""

import time

import torch

from chainvision import reporter
from chainvision.backend import PRECISIONS
from chainvision.training import util
from chainvision.training.extensions.fail_on_nonnumber import DivergenceError
from chainvision.training.updaters._step_guard import StepGuard
from chainvision.training.updaters.standard_updater import StandardUpdater

class NonFiniteLossError(DivergenceError):
    """The loss became NaN or infinite; the weights were not updated with it
    nor after it (a :class:`DivergenceError`, so no snapshot is written on
    it)."""


class FitUpdater(StandardUpdater):
    """``StandardUpdater`` for one ``(x, t)`` batch per iteration, with:

    - ``precision``: ``'fp32'``, or ``'bf16'``/``'fp16'`` under
      ``torch.autocast``; fp16 scales the loss with ``torch.amp.GradScaler``
      (a step whose gradients overflow is skipped and the scale lowered).
    - ``channels_last``: images are made NHWC-contiguous (faster convolutions
      on recent GPUs and oneDNN; the model must be converted too).
    - ``context`` (:class:`~chainvision.training.distributed.DistributedContext`):
      each rank trains on its shard of every global batch; ``loss_func``
      should then be the ``DistributedDataParallel``-wrapped model.  The
      reported ``main/loss`` and ``main/accuracy`` are averaged over ranks.
    - A non-finite loss never reaches the weights, and the step reads
      nothing back from the device: a :class:`StepGuard` undoes, on the
      device, the step of a NaN or infinite loss and every step after it.
      On the iterations where ``check_trigger`` fires (default: every one)
      the updater reads the verdict back and raises
      :class:`NonFiniteLossError` naming the first bad iteration, before
      any extension of that iteration runs; so a snapshot, written on a
      checked iteration, never holds such weights.
    - ``update_seconds``/``timed_updates``: time spent in updates by this
      process.  The device catches up with the host at each check, so over
      the iterations between two checks it is the real compute time also on
      a GPU.

    Args:
        iterator, optimizer, converter, device, loss_func: as
            ``StandardUpdater``.
        observer: the link whose reports are ``main/...`` (the unwrapped
            ``L.Classifier``).
        precision (str), channels_last (bool), context: see above.
        check_trigger: when to read the loss check back from the device: a
            trigger (``(10, 'iteration')``, a callable ``trigger(trainer)``)
            or ``None`` for every iteration.  The trainer calls it once per
            iteration, after the update.
    """

    def __init__(self, iterator, optimizer, observer, precision='fp32', channels_last=False,
                 context=None, check_trigger=None, **kwargs):
        super().__init__(iterator, optimizer, **kwargs)
        if precision not in PRECISIONS:
            raise ValueError('precision must be one of {}, got {!r}.'.format(
                ', '.join(PRECISIONS), precision))
        self.observer = observer
        self.precision = precision
        self.channels_last = channels_last
        self.context = context
        device_type = self._device_type()
        self.scaler = (torch.amp.GradScaler(device_type) if precision == 'fp16' else None)
        main = self.get_optimizer('main')
        # An fp16 step that overflows is skipped and training goes on: the
        # optimizer's state must come back with the weights.
        self.guard = StepGuard(main.target, main if self.scaler is not None else None)
        self.check_trigger = None if check_trigger is None else util.get_trigger(check_trigger)
        self._trainer = None
        # Seconds spent in updates by this process (not in evaluation or
        # logging), and how many updates that covers: the training throughput.
        self.update_seconds = 0.
        self.timed_updates = 0

    def _device_type(self):
        for param in self.get_optimizer('main').target.parameters():
            return param.device.type
        return 'cpu'

    def connect_trainer(self, trainer):
        """Keep the trainer, for ``check_trigger``."""
        self._trainer = trainer

    def update(self):
        """Run one iteration, timing it (see ``update_seconds``), and read
        the loss check back where ``check_trigger`` fires."""
        start = time.perf_counter()
        super().update()
        if self.check_trigger is None or self.check_trigger(self._trainer):
            self.check_finite()
        self.update_seconds += time.perf_counter() - start
        self.timed_updates += 1

    def check_finite(self):
        """Read the loss check back from the device (a synchronisation).

        Raises:
            NonFiniteLossError: a loss since the start was NaN or infinite;
                the weights are those before that iteration.
        """
        verdict = self.guard.verdict()
        if verdict is not None:
            iteration, loss = verdict
            raise NonFiniteLossError(
                'The loss is {} at iteration {} (the weights are kept from before it). '
                'Training diverged: try a lower learning rate (e.g. --lr {:g}), or '
                'warm-up.'.format(loss, iteration, _lower_lr(self.get_optimizer('main'))))

    def update_core(self):
        """One step: batch -> shard -> autocast forward -> finite check ->
        (scaled) backward -> optimizer update."""
        iterator = self._iterators['main']
        optimizer = self._optimizers['main']
        x, t = self.converter(iterator.next(), self.input_device)
        if self.context is not None:
            x, t = self.context.shard((x, t))
        if self.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        loss_func = self.loss_func or optimizer.target
        dtype = PRECISIONS[self.precision]
        self.guard.save()
        with torch.autocast(self._device_type(), dtype=dtype, enabled=dtype is not None):
            loss = loss_func(x, t)
        self.guard.observe(self._report(loss), self.iteration + 1)
        for param in optimizer.target.parameters():
            param.grad = None
        if self.scaler is None:
            loss.backward()
            optimizer.update()
            self.guard.restore()
        else:
            self.scaler.scale(loss).backward()
            self.guard.restore(self._scaled_step(optimizer))
            self.scaler.update()
        if self.auto_new_epoch and iterator.is_new_epoch:
            optimizer.new_epoch(auto=True)

    def _report(self, loss):
        """Report the loss and accuracy (averaged over the ranks when
        distributed); returns the loss all ranks agree on."""
        values = {'loss': loss.detach()}
        accuracy = getattr(self.observer, 'accuracy', None)
        if accuracy is not None:
            values['accuracy'] = accuracy.detach()
        if self.context is not None and self.context.is_distributed:
            values = self.context.all_reduce_mean(values)
            reporter.report(values, self.observer)
        return values['loss']

    def _scaled_step(self, optimizer):
        """Unscale the fp16 gradients and update; returns whether they
        overflowed (a 0-dim bool tensor: the guard then undoes the step,
        as ``GradScaler.step`` would skip it, without reading it back)."""
        step = _ChainerStep(optimizer)
        self.scaler.unscale_(step)
        # GradScaler keeps its overflow flags per optimizer; its own step()
        # would read them back (a synchronisation) to decide.
        flags = self.scaler._per_optimizer_states[id(step)]['found_inf_per_device'].values()
        optimizer.update()
        if not flags:
            return None
        return torch.stack([flag.reshape(()) for flag in flags]).any()

    def serialize(self, serializer):
        """As ``StandardUpdater``, plus the fp16 loss scale."""
        super().serialize(serializer)
        if self.scaler is not None:
            state = self.scaler.state_dict()
            self.scaler.load_state_dict({
                'scale': float(serializer('loss_scale', state['scale'])),
                'growth_factor': state['growth_factor'],
                'backoff_factor': state['backoff_factor'],
                'growth_interval': state['growth_interval'],
                '_growth_tracker': int(serializer('loss_scale_growth_tracker',
                                                  state['_growth_tracker'])),
            })


class _ChainerStep:
    """What ``GradScaler.unscale_`` needs of an optimizer: ``param_groups``,
    the Chainer optimizer's parameters that have gradients."""

    def __init__(self, optimizer):
        self.param_groups = [{'params': [p for p in optimizer.target.parameters()
                                         if p.grad is not None]}]


def _lower_lr(optimizer):
    hyperparam = optimizer.hyperparam
    for name in ('lr', 'alpha'):
        if hasattr(hyperparam, name):
            return getattr(hyperparam, name) / 10.
    return 0.
