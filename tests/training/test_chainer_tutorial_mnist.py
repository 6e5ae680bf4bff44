"""Chainer's MNIST tutorial ("Write a training loop with Trainer", Chainer v7
docs) with only its imports changed, on a real slice of MNIST.

Besides the imports, the test changes the data size and the number of
epochs (for speed).
"""

import json
import os

import chainvision as chainer                      # was: import chainer
import chainvision.functions as F                  # was: import chainer.functions as F
import chainvision.links as L                      # was: import chainer.links as L
from chainvision import iterators, optimizers, serializers, training  # was: from chainer ...
from chainvision.datasets import mnist             # was: from chainer.datasets import mnist
from chainvision.training import extensions        # was: from chainer.training ...


class MLP(chainer.Chain):

    def __init__(self, n_mid_units=100, n_out=10):
        super(MLP, self).__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, n_mid_units)
            self.l2 = L.Linear(n_mid_units, n_mid_units)
            self.l3 = L.Linear(n_mid_units, n_out)

    def forward(self, x):
        h1 = F.relu(self.l1(x))
        h2 = F.relu(self.l2(h1))
        return self.l3(h2)


def test_the_tutorial_trains_logs_snapshots_and_predicts(tmp_path, capsys):
    out = str(tmp_path / 'mnist_result')
    train, test = mnist.get_mnist()
    train, test = train[:3000], test[:500]         # test only: a slice for speed

    batchsize = 128
    train_iter = iterators.SerialIterator(train, batchsize)
    test_iter = iterators.SerialIterator(test, batchsize, False, False)

    gpu_id = -1
    model = MLP()
    if gpu_id >= 0:
        model.to_gpu(gpu_id)

    max_epoch = 2                                   # test only (the tutorial: 10)
    model = L.Classifier(model)
    optimizer = optimizers.MomentumSGD()
    optimizer.setup(model)
    updater = training.updaters.StandardUpdater(train_iter, optimizer, device=gpu_id)
    trainer = training.Trainer(updater, (max_epoch, 'epoch'), out=out)

    trainer.extend(extensions.LogReport())
    trainer.extend(extensions.snapshot(filename='snapshot_epoch-{.updater.epoch}'))
    trainer.extend(extensions.snapshot_object(model.predictor,
                                              filename='model_epoch-{.updater.epoch}'))
    trainer.extend(extensions.Evaluator(test_iter, model, device=gpu_id))
    trainer.extend(extensions.PrintReport(['epoch', 'main/loss', 'main/accuracy',
                                           'validation/main/loss', 'validation/main/accuracy',
                                           'elapsed_time']))
    trainer.extend(extensions.PlotReport(['main/loss', 'validation/main/loss'], x_key='epoch',
                                         file_name='loss.png'))
    trainer.extend(extensions.PlotReport(['main/accuracy', 'validation/main/accuracy'],
                                         x_key='epoch', file_name='accuracy.png'))
    trainer.extend(extensions.DumpGraph('main/loss'))
    trainer.run()

    model = MLP()
    serializers.load_npz(os.path.join(out, 'model_epoch-2'), model)
    x, t = test[0]
    y = model(x[None, ...])
    y = y.array.argmax(axis=1)[0]

    with open(os.path.join(out, 'log')) as stream:
        log = json.load(stream)
    assert [entry['epoch'] for entry in log] == [1, 2]
    assert log[-1]['main/loss'] < log[0]['main/loss']
    assert log[-1]['validation/main/accuracy'] > 0.6
    assert int(y) == int(t) == 7                    # the first test digit is a 7
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].split() == ['epoch', 'main/loss', 'main/accuracy', 'validation/main/loss',
                                  'validation/main/accuracy', 'elapsed_time']
    assert printed[2].split()[0] == '2'
    files = set(os.listdir(out))
    assert {'log', 'snapshot_epoch-1', 'snapshot_epoch-2', 'model_epoch-1', 'model_epoch-2',
            'cg.dot'} <= files
    with open(os.path.join(out, 'cg.dot')) as stream:
        graph = stream.read()
    assert graph.startswith('digraph') and 'predictor/l1/W: (100, 784), float32' in graph
    if extensions.PlotReport.available():
        assert {'loss.png', 'accuracy.png'} <= files
