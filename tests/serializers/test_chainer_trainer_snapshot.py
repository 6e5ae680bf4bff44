"""A trainer snapshot written by real Chainer 7.8.1 resumes in chainvision
and continues as Chainer itself continued."""

import numpy
import pytest

import chainvision.links as L
from chainvision import datasets, iterators, optimizer_hooks, optimizers, serializers, training
from chainvision.training import extensions

from chainer_net import DATA, Net


def test_a_chainer_trainer_snapshot_resumes_here(tmp_path):
    reference = numpy.load(DATA / 'chainer_reference.npz')
    model = L.Classifier(Net())
    optimizer = optimizers.MomentumSGD(lr=0.1).setup(model)
    optimizer.add_hook(optimizer_hooks.WeightDecay(1e-3))
    iterator = iterators.SerialIterator(
        datasets.TupleDataset(reference['x'], reference['t']), 4, shuffle=False)
    trainer = training.Trainer(training.updaters.StandardUpdater(iterator, optimizer),
                               (2, 'iteration'), out=str(tmp_path))
    trainer.extend(extensions.ExponentialShift('lr', 0.5), trigger=(1, 'iteration'))
    trainer.extend(extensions.LogReport(trigger=(1, 'iteration')))
    with pytest.warns(UserWarning, match='random generator'):
        serializers.load_npz(DATA / 'chainer_trainer_snapshot.npz', trainer)
    assert trainer.updater.iteration == 1 and iterator.current_position == 4
    assert len(trainer.get_extension('LogReport').log) == 1
    trainer.run()  # ExponentialShift restores Chainer's lr 0.05 and continues
    assert trainer.updater.iteration == 2
    assert optimizer.lr == pytest.approx(0.025)
    assert [e['iteration'] for e in trainer.get_extension('LogReport').log] == [1, 2]
    # The second iteration gives what Chainer's own second iteration gave.
    chainer_after_two = Net()
    serializers.load_npz(DATA / 'chainer_model_iter2.npz', chainer_after_two)
    for (name, ours), (_, theirs) in zip(model.predictor.namedparams(),
                                         chainer_after_two.namedparams()):
        numpy.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(),
                                      rtol=1e-5, atol=1e-6, err_msg=name)
    numpy.testing.assert_allclose(model.predictor.bn.avg_var.numpy(),
                                  chainer_after_two.bn.avg_var.numpy(), rtol=1e-5)
