"""The updater behind :func:`chainvision.fit`: Chainer's ``StandardUpdater``
plus mixed precision, channels-last batches, data-parallel shards and a
guard against non-finite losses."""

import time

import torch

from chainvision import reporter
from chainvision.training.extensions.fail_on_nonnumber import DivergenceError
from chainvision.training.updaters.standard_updater import StandardUpdater

PRECISIONS = {'fp32': None, 'bf16': torch.bfloat16, 'fp16': torch.float16}


class NonFiniteLossError(DivergenceError):
    """The loss became NaN or infinite; the weights were not updated with it
    (a :class:`DivergenceError`, so no snapshot is written on it)."""


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
    - ``update_seconds``/``timed_updates``: time spent in updates by this
      process (the loss check syncs with the device every iteration, so
      this is the real compute time also on a GPU).
    - The loss is checked before the update: NaN or inf raises
      :class:`NonFiniteLossError` naming the iteration, so the weights (and
      the last snapshot) stay those of the last good iteration.

    Args:
        iterator, optimizer, converter, device, loss_func: as
            ``StandardUpdater``.
        observer: the link whose reports are ``main/...`` (the unwrapped
            ``L.Classifier``).
        precision (str), channels_last (bool), context: see above.
    """

    def __init__(self, iterator, optimizer, observer, precision='fp32', channels_last=False,
                 context=None, **kwargs):
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
        # Seconds spent in updates by this process (not in evaluation or
        # logging), and how many updates that covers: the training throughput.
        self.update_seconds = 0.
        self.timed_updates = 0

    def _device_type(self):
        for param in self.get_optimizer('main').target.parameters():
            return param.device.type
        return 'cpu'

    def update(self):
        """Run one iteration, timing it (see ``update_seconds``)."""
        start = time.perf_counter()
        super().update()
        self.update_seconds += time.perf_counter() - start
        self.timed_updates += 1

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
        with torch.autocast(self._device_type(), dtype=dtype, enabled=dtype is not None):
            loss = loss_func(x, t)
        self._report_and_check(loss)
        for param in optimizer.target.parameters():
            param.grad = None
        if self.scaler is None:
            loss.backward()
            optimizer.update()
        else:
            self.scaler.scale(loss).backward()
            self.scaler.step(_ChainerStep(optimizer))
            self.scaler.update()
        if self.auto_new_epoch and iterator.is_new_epoch:
            optimizer.new_epoch(auto=True)

    def _report_and_check(self, loss):
        values = {'loss': loss.detach()}
        accuracy = getattr(self.observer, 'accuracy', None)
        if accuracy is not None:
            values['accuracy'] = accuracy.detach()
        if self.context is not None and self.context.is_distributed:
            values = self.context.all_reduce_mean(values)
            reporter.report(values, self.observer)
        loss_value = float(values['loss'])
        if loss_value != loss_value or loss_value in (float('inf'), float('-inf')):
            raise NonFiniteLossError(
                'The loss is {} at iteration {} (before that update was applied). Training '
                'diverged: try a lower learning rate (e.g. --lr {:g}), or warm-up.'.format(
                    loss_value, self.iteration + 1, _lower_lr(self.get_optimizer('main'))))

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
    """What ``GradScaler`` needs of an optimizer (``param_groups`` to
    unscale, ``step()`` to call when the gradients are finite), forwarding
    the step to a Chainer optimizer so its hooks run."""

    def __init__(self, optimizer):
        self.optimizer = optimizer
        self.param_groups = [{'params': [p for p in optimizer.target.parameters()
                                         if p.grad is not None]}]

    def step(self):
        self.optimizer.update()


def _lower_lr(optimizer):
    hyperparam = optimizer.hyperparam
    for name in ('lr', 'alpha'):
        if hasattr(hyperparam, name):
            return getattr(hyperparam, name) / 10.
    return 0.
