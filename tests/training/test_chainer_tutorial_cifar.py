"""Chainer v7's CIFAR example (examples/cifar/train_cifar.py) with only its
imports changed, on a real slice of CIFAR-10: MomentumSGD with WeightDecay,
an EarlyStoppingTrigger as the stop trigger, ExponentialShift, Evaluator,
DumpGraph, snapshot, LogReport, PrintReport and ProgressBar.

Besides the imports, the test shrinks the VGG (two blocks instead of
thirteen), the data and the number of epochs, for speed.
"""

import json
import os

import chainvision as chainer                      # was: import chainer
import chainvision.functions as F                  # was: import chainer.functions as F
import chainvision.links as L                      # was: import chainer.links as L
from chainvision import training                   # was: from chainer import training
from chainvision.training import extensions        # was: from chainer.training import ...
from chainvision.training import triggers          # was: from chainer.training import ...


class Block(chainer.Chain):

    def __init__(self, out_channels, ksize, pad=1):
        super(Block, self).__init__()
        with self.init_scope():
            self.conv = L.Convolution2D(None, out_channels, ksize, pad=pad, nobias=True)
            self.bn = L.BatchNormalization(out_channels)

    def forward(self, x):
        h = self.conv(x)
        h = self.bn(h)
        return F.relu(h)


class VGG(chainer.Chain):

    def __init__(self, class_labels=10):
        super(VGG, self).__init__()
        with self.init_scope():
            self.block1_1 = Block(16, 3)
            self.block2_1 = Block(32, 3)
            self.fc1 = L.Linear(None, 64, nobias=True)
            self.bn_fc1 = L.BatchNormalization(64)
            self.fc2 = L.Linear(None, class_labels, nobias=True)

    def forward(self, x):
        h = self.block1_1(x)
        h = F.dropout(h, ratio=0.3)
        h = F.max_pooling_2d(h, ksize=2, stride=2)
        h = self.block2_1(h)
        h = F.max_pooling_2d(h, ksize=2, stride=2)
        h = F.dropout(h, ratio=0.5)
        h = self.fc1(h)
        h = self.bn_fc1(h)
        h = F.relu(h)
        h = F.dropout(h, ratio=0.5)
        return self.fc2(h)


def test_the_cifar_example_trains_with_early_stopping(tmp_path, capsys):
    out = str(tmp_path / 'result')
    device = chainer.get_device('-1')
    epoch = 2                                       # test only (the example: 300)

    train, test = chainer.datasets.get_cifar10()
    train, test = train[:384], test[:128]           # test only: a slice for speed
    class_labels = 10

    model = L.Classifier(VGG(class_labels))
    model.to_device(device)
    device.use()

    optimizer = chainer.optimizers.MomentumSGD(0.05)
    optimizer.setup(model)
    optimizer.add_hook(chainer.optimizer_hooks.WeightDecay(5e-4))

    train_iter = chainer.iterators.SerialIterator(train, 64)
    test_iter = chainer.iterators.SerialIterator(test, 64, repeat=False, shuffle=False)

    stop_trigger = triggers.EarlyStoppingTrigger(
        monitor='validation/main/loss', verbose=True, max_trigger=(epoch, 'epoch'))

    updater = training.updaters.StandardUpdater(train_iter, optimizer, device=device)
    trainer = training.Trainer(updater, stop_trigger, out=out)

    trainer.extend(extensions.Evaluator(test_iter, model, device=device))
    trainer.extend(extensions.ExponentialShift('lr', 0.5), trigger=(1, 'epoch'))
    trainer.extend(extensions.DumpGraph('main/loss'))
    trainer.extend(extensions.snapshot(filename='snaphot_epoch_{.updater.epoch}'),
                   trigger=(epoch, 'epoch'))
    trainer.extend(extensions.LogReport())
    trainer.extend(extensions.PrintReport(
        ['epoch', 'main/loss', 'validation/main/loss',
         'main/accuracy', 'validation/main/accuracy', 'elapsed_time']))
    trainer.extend(extensions.ProgressBar(update_interval=5))

    trainer.run()

    with open(os.path.join(out, 'log')) as stream:
        log = json.load(stream)
    assert [entry['epoch'] for entry in log] == [1, 2]
    assert all(0 <= entry['validation/main/accuracy'] <= 1 for entry in log)
    assert optimizer.lr == 0.05 * 0.5 ** 2
    assert {'snaphot_epoch_2', 'cg.dot', 'log'} <= set(os.listdir(out))
    assert 'this epoch [' in capsys.readouterr().out
