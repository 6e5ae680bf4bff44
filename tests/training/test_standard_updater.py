"""StandardUpdater's construction rules, as Chainer's."""

import numpy
import pytest

import chainvision.links as L
from chainvision import iterators, optimizers, training


class _TwoOptimizerUpdater(training.updaters.StandardUpdater):
    """DCGAN's pattern: optimizers named 'gen' and 'dis', update_core overridden."""

    def update_core(self):
        batch = numpy.stack(self.get_iterator('main').next())
        for name in ('gen', 'dis'):
            optimizer = self.get_optimizer(name)
            optimizer.update(lambda x: optimizer.target(x).sum(), batch)


def test_optimizers_need_no_main_entry_when_update_core_is_overridden():
    data = numpy.random.randn(8, 3).astype(numpy.float32)
    opts = {name: optimizers.SGD(lr=0.1).setup(L.Linear(3, 2)) for name in ('gen', 'dis')}
    updater = _TwoOptimizerUpdater(iterators.SerialIterator(data, 4), opts)
    before = {name: opt.target.W.detach().clone() for name, opt in opts.items()}
    updater.update()
    assert updater.iteration == 1
    assert all(not (opts[n].target.W.detach() == before[n]).all() for n in opts)


def test_a_main_iterator_is_required():
    opt = optimizers.SGD().setup(L.Linear(3, 2))
    with pytest.raises(ValueError, match="'main' iterator"):
        training.updaters.StandardUpdater({'train': iterators.SerialIterator([1], 1)}, opt)
