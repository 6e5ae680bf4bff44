"""The network that data/make_chainer_files.py trained with real Chainer,
written with chainvision, and where the reference files are."""

import pathlib

import chainvision
import chainvision.functions as F
import chainvision.links as L

DATA = pathlib.Path(__file__).parent / 'data'


class Net(chainvision.Chain):
    """The network of make_chainer_files.py."""

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.conv = L.Convolution2D(1, 2, 3)
            self.bn = L.BatchNormalization(2)
            self.fc = L.Linear(None, 3)

    def forward(self, x):
        return self.fc(F.relu(self.bn(self.conv(x))))
