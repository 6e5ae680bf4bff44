"""A tiny classification problem and trainer for the training tests."""

import numpy
import pytest

import chainvision
import chainvision.functions as F
import chainvision.links as L
from chainvision import datasets, iterators, optimizers, training


class MLP(chainvision.Chain):
    """Two layers with dropout, so resuming must also restore torch's RNG."""

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, 16)
            self.l2 = L.Linear(16, 3)

    def forward(self, x):
        return self.l2(F.dropout(F.relu(self.l1(x)), 0.2))


def toy_dataset(n=48, seed=0):
    rng = numpy.random.RandomState(seed)
    x = rng.randn(n, 5).astype(numpy.float32)
    t = ((x[:, 0] > 0).astype(numpy.int32) + (x[:, 1] > 0.5)).astype(numpy.int32)
    return datasets.TupleDataset(x, t)


def build_trainer(out, stop=(3, 'epoch'), extend=None):
    """Classifier(MLP) + MomentumSGD + a shuffling SerialIterator(batch 10)."""
    model = L.Classifier(MLP())
    optimizer = optimizers.MomentumSGD(lr=0.1).setup(model)
    iterator = iterators.SerialIterator(toy_dataset(), 10, shuffle=True)
    updater = training.updaters.StandardUpdater(iterator, optimizer)
    trainer = training.Trainer(updater, stop, out=str(out))
    if extend is not None:
        extend(trainer, model)
    return trainer, model


@pytest.fixture
def make_trainer():
    return build_trainer


@pytest.fixture
def toy():
    return toy_dataset
