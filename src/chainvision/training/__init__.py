"""Chainer's training framework on PyTorch: ``Trainer``, updaters,
extensions and triggers.

A Chainer training script runs with its imports changed::

    train_iter = chainvision.iterators.SerialIterator(train, 128)
    optimizer = chainvision.optimizers.MomentumSGD(0.01).setup(model)
    updater = training.updaters.StandardUpdater(train_iter, optimizer)
    trainer = training.Trainer(updater, (10, 'epoch'), out='result')
    trainer.extend(extensions.Evaluator(test_iter, model))
    trainer.extend(extensions.LogReport())
    trainer.extend(extensions.snapshot(), trigger=(1, 'epoch'))
    trainer.run()
"""

from chainvision.training import extensions  # noqa: F401
from chainvision.training import triggers  # noqa: F401
from chainvision.training import updaters  # noqa: F401
from chainvision.training.extension import (  # noqa: F401
    PRIORITY_EDITOR, PRIORITY_READER, PRIORITY_WRITER, Extension, make_extension)
from chainvision.training.trainer import Trainer  # noqa: F401
from chainvision.training.triggers.interval_trigger import IntervalTrigger  # noqa: F401
from chainvision.training.updater import Updater  # noqa: F401
from chainvision.training.updaters.standard_updater import StandardUpdater  # noqa: F401
from chainvision.training.util import get_trigger  # noqa: F401
