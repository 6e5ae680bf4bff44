"""One iteration: next batch -> converter -> ``optimizer.update(loss_func, *batch)``."""

import functools

from chainvision import backend
from chainvision.dataset import convert
from chainvision.link import serialize_module
from chainvision.training._convert import call_converter, call_loss
from chainvision.training.updater import Updater


class StandardUpdater(Updater):
    """Chainer's standard updater: each ``update()`` takes a batch from the
    ``'main'`` iterator, converts it and calls
    ``optimizer.update(loss_func, *in_arrays)``.

    Args:
        iterator: an iterator, or a dict of them with a ``'main'`` entry.
        optimizer: an optimizer, or a dict of them (``update_core`` uses
            ``'main'``; subclasses that override it may name theirs freely).
        converter (callable): ``converter(batch, device)`` (default
            :func:`~chainvision.dataset.concat_examples`).
        device: where the model is moved and batches are sent (``None``:
            leave both where they are).
        loss_func (callable): the loss (default: the optimizer's target,
            e.g. an ``L.Classifier``).
        auto_new_epoch (bool): call ``optimizer.new_epoch(auto=True)`` at
            each epoch end (default).
        input_device: where batches are sent if not ``device``.

    The iteration count, the iterators' positions, the optimizers' state and
    the models are saved by :meth:`serialize` in Chainer's layout
    (``iterator:main/``, ``optimizer:main/``, ``model:main/``,
    ``iteration``).
    """

    def __init__(self, iterator, optimizer, converter=convert.concat_examples, device=None,
                 loss_func=None, auto_new_epoch=True, input_device=None):
        self._iterators = iterator if isinstance(iterator, dict) else {'main': iterator}
        self._optimizers = optimizer if isinstance(optimizer, dict) else {'main': optimizer}
        # Epochs are counted on the 'main' iterator; the optimizers may have any names (an
        # updater that overrides update_core, such as DCGAN's, uses its own).
        if 'main' not in self._iterators:
            raise ValueError("StandardUpdater needs a 'main' iterator.")
        self.device = None if device is None else backend.get_device(device)
        self.input_device = self.device if input_device is None else backend.get_device(
            input_device)
        if self.device is not None:
            for opt in self._optimizers.values():
                opt.target.to(self.device.torch_device)
        self.converter = converter
        self.loss_func = loss_func
        self.auto_new_epoch = auto_new_epoch
        if auto_new_epoch:
            for opt in self._optimizers.values():
                opt.use_auto_new_epoch = True
        self.iteration = 0

    @property
    def epoch(self):
        """Completed epochs of the main iterator."""
        return self._iterators['main'].epoch

    @property
    def epoch_detail(self):
        """Fractional epoch of the main iterator (e.g. 1.5)."""
        return self._iterators['main'].epoch_detail

    @property
    def previous_epoch_detail(self):
        """``epoch_detail`` before the last batch."""
        return self._iterators['main'].previous_epoch_detail

    @property
    def is_new_epoch(self):
        """Whether the last batch completed an epoch."""
        return self._iterators['main'].is_new_epoch

    def get_optimizer(self, name):
        """The optimizer registered as ``name``."""
        return self._optimizers[name]

    def get_all_optimizers(self):
        """A dict of all optimizers by name."""
        return dict(self._optimizers)

    def get_iterator(self, name):
        """The iterator registered as ``name``."""
        return self._iterators[name]

    def finalize(self):
        """Finalize every iterator."""
        for iterator in self._iterators.values():
            iterator.finalize()

    def update(self):
        """Run one iteration and count it."""
        self.update_core()
        self.iteration += 1

    def update_core(self):
        """Take a batch, convert it, update the main optimizer."""
        iterator = self._iterators['main']
        batch = iterator.next()
        in_arrays = call_converter(self.converter, batch, self.input_device)
        optimizer = self._optimizers['main']
        loss_func = self.loss_func or optimizer.target
        call_loss(functools.partial(optimizer.update, loss_func), in_arrays)
        if self.auto_new_epoch and iterator.is_new_epoch:
            optimizer.new_epoch(auto=True)

    def serialize(self, serializer):
        """Save or load the iterators, optimizers, models and iteration."""
        for name, iterator in self._iterators.items():
            iterator.serialize(serializer['iterator:' + name])
        for name, opt in self._optimizers.items():
            opt.serialize(serializer['optimizer:' + name])
            model = opt.target
            if hasattr(model, 'serialize'):
                model.serialize(serializer['model:' + name])
            else:
                serialize_module(model, serializer['model:' + name])
        self.iteration = serializer('iteration', self.iteration)
