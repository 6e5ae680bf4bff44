"""Train your own Chainer-style model with ``chainvision.fit``.

    CHAINVISION_DATASET_ROOT=../shared/data python examples/fit_own_model.py --epochs 2

The model is written as in Chainer; ``fit`` supplies the rest (device
loader, optimizer, schedule, validation, run folder, checkpoints).  The
same run from the command line, with a zoo model, is
``chainvision train lenet5 --dataset fashion_mnist``.
"""

import argparse

import chainvision
import chainvision.functions as F
import chainvision.links as L


class SmallConvNet(chainvision.Chain):
    """Two 3x3 convolutions with max pooling, then a linear classifier
    whose input size is inferred at the first call."""

    def __init__(self, n_classes=10):
        super().__init__()
        with self.init_scope():
            self.conv1 = L.Convolution2D(None, 32, 3, pad=1)
            self.conv2 = L.Convolution2D(32, 64, 3, pad=1)
            self.fc = L.Linear(None, n_classes)

    def forward(self, x):
        h = F.max_pooling_2d(F.relu(self.conv1(x)), 2)
        h = F.max_pooling_2d(F.relu(self.conv2(h)), 2)
        return self.fc(h)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--dataset', default='fashion_mnist')
    parser.add_argument('--epochs', type=int, default=2)
    parser.add_argument('--out', default='runs/own-model')
    args = parser.parse_args()
    results = chainvision.fit(SmallConvNet(), args.dataset, out=args.out, epochs=args.epochs,
                              optimizer='adam', lr=3e-3, schedule='one-cycle', val_split=5000)
    print('test accuracy {:.2%}, run folder {}'.format(results['test_accuracy'], results['out']))


if __name__ == '__main__':
    main()
